package dev.sandq.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The slow tier: a test class that starts a Kafka broker, real sandboxes (the launcher), the
 * security corpus, an interpreter or another external tool, a child JVM or {@code ./sandq}. Such a
 * class also carries a class-level {@link org.junit.jupiter.api.Timeout}, so that a hang fails
 * naming the test. Every test class has exactly one of {@link Fast} and {@code @Slow} ({@link Tiers}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(Tiers.SLOW)
public @interface Slow {
}
