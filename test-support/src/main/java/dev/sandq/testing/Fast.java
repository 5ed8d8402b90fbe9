package dev.sandq.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The fast tier ({@code mvn -B verify -Dgroups=fast}): a test class that needs only this JVM — no
 * Kafka broker, no sandbox or launcher, no interpreter, no child JVM, no external tool. A trivial
 * host process standing in for one ({@code sleep}, {@code true}) is allowed. Every test class has
 * exactly one of {@code @Fast} and {@link Slow} ({@link Tiers}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(Tiers.FAST)
public @interface Fast {
}
