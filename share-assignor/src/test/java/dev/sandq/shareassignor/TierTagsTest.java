package dev.sandq.shareassignor;

import dev.sandq.testing.Fast;
import dev.sandq.testing.Tiers;
import org.junit.jupiter.api.Test;

/** Every test class of this module has exactly one tier (docs/testing.md). */
@Fast
class TierTagsTest {
    @Test
    void everyTestClassHasOneTier() {
        Tiers.assertEveryTestClassHasOneTier(TierTagsTest.class);
    }
}
