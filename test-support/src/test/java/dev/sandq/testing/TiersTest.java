package dev.sandq.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Fast
class TiersTest {
    // Fixtures: nested, so neither Surefire nor the scan below takes them for test classes of their own.

    static class Untagged {
        @Test
        void t() {
        }
    }

    @Fast
    @Slow
    static class BothTiers {
        @Test
        void t() {
        }
    }

    @Fast
    static class SlowMethod {
        @Test
        @Tag(Tiers.SLOW) // @Slow does not compile here: it is for classes only
        void t() {
        }
    }

    @Slow
    abstract static class Suite {
        @ParameterizedTest
        @ValueSource(ints = 1)
        void t(int i) {
        }
    }

    static class InheritsItsTier extends Suite {
    }

    @Tag("fast")
    @Tag("docker")
    static class PlainTagAndAnother {
        @Test
        void t() {
        }
    }

    @Test
    void aClassWithoutATierOrWithBothIsNamed() {
        assertEquals(List.of(Untagged.class.getName() + ": no tier",
                BothTiers.class.getName() + ": more than one tier [fast, slow]"),
                Tiers.problems(List.of(Untagged.class, BothTiers.class)));
    }

    @Test
    void aTierOnAMethodIsNamed() {
        assertEquals(List.of(SlowMethod.class.getName() + "#t: a tier on a method (the tier is the class's)"),
                Tiers.problems(List.of(SlowMethod.class)));
    }

    @Test
    void aTierIsFoundAsJUnitFindsItOnASuperclassOrAsAPlainTag() {
        assertEquals(List.of(), Tiers.problems(List.of(InheritsItsTier.class, PlainTagAndAnother.class)));
    }

    @Test
    void theScanFindsTheConcreteTopLevelTestClassesBesideTheAnchor() {
        List<Class<?>> found = Tiers.testClassesBeside(TiersTest.class);
        assertTrue(found.containsAll(List.of(TiersTest.class, AwaitTest.class, TierTagsTest.class)), found::toString);
        assertTrue(found.stream().noneMatch(c -> c.getEnclosingClass() != null), "no nested class: " + found);
    }
}
