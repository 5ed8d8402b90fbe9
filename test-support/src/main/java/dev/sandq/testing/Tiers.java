package dev.sandq.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The two test tiers, and the check that each module's test classes have exactly one: every
 * module with tests has a {@code TierTagsTest} calling {@link #assertEveryTestClassHasOneTier}, so
 * that no test class is silently left out of {@code -Dgroups=fast} and {@code -Dgroups=slow} alike.
 */
public final class Tiers {
    /** The tag of {@link Fast}. */
    public static final String FAST = "fast";
    /** The tag of {@link Slow}. */
    public static final String SLOW = "slow";
    private static final Set<String> TIERS = Set.of(FAST, SLOW);

    private Tiers() {
    }

    /**
     * Fails naming every test class compiled beside {@code anchor} (in its module's test-classes
     * directory) that has no tier or both, or that puts a tier on a method.
     */
    public static void assertEveryTestClassHasOneTier(Class<?> anchor) {
        List<Class<?>> classes = testClassesBeside(anchor);
        assertTrue(classes.contains(anchor), () -> "the scan of " + location(anchor) + " missed " + anchor.getName());
        assertEquals(List.of(), problems(classes),
                "test classes need exactly one tier, @Fast or @Slow (dev.sandq.testing; see docs/testing.md)");
    }

    /**
     * What is wrong with the tiers of these test classes, one line each; empty when each has
     * exactly one tier tag, found as JUnit finds it (on the class, a superclass or a
     * meta-annotation), and no test method has one of its own.
     */
    public static List<String> problems(Collection<Class<?>> testClasses) {
        List<String> problems = new ArrayList<>();
        for (Class<?> c : testClasses) {
            List<String> tiers = tiers(AnnotationSupport.findRepeatableAnnotations(c, Tag.class));
            if (tiers.isEmpty()) {
                problems.add(c.getName() + ": no tier");
            } else if (tiers.size() > 1) {
                problems.add(c.getName() + ": more than one tier " + tiers);
            }
            for (Method m : testMethods(c)) {
                if (!tiers(AnnotationSupport.findRepeatableAnnotations(m, Tag.class)).isEmpty()) {
                    problems.add(c.getName() + "#" + m.getName() + ": a tier on a method (the tier is the class's)");
                }
            }
        }
        return problems;
    }

    private static List<String> tiers(List<Tag> tags) {
        return tags.stream().map(Tag::value).filter(TIERS::contains).distinct().sorted().toList();
    }

    /**
     * The concrete top-level classes with test methods (their own or inherited) among the classes
     * of {@code anchor}'s class-path directory. Nested classes take the tier of the class around them.
     */
    static List<Class<?>> testClassesBeside(Class<?> anchor) {
        Path root = location(anchor);
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("expected the test classes of " + anchor.getName()
                    + " in a directory, got " + root);
        }
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String relative = root.relativize(file).toString();
                String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                if (name.contains("$") || name.endsWith("package-info") || name.equals("module-info")) {
                    continue;
                }
                Class<?> c = load(name, anchor.getClassLoader());
                if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers()) && !testMethods(c).isEmpty()) {
                    classes.add(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("scanning " + root, e);
        }
        return classes;
    }

    private static List<Method> testMethods(Class<?> c) {
        return ReflectionSupport.findMethods(c, m -> AnnotationSupport.isAnnotated(m, Testable.class),
                HierarchyTraversalMode.TOP_DOWN);
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a class file of the test classes does not load: " + name, e);
        }
    }

    private static Path location(Class<?> anchor) {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no file location for " + anchor.getName(), e);
        }
    }
}
