package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Fast
class LaneCoverageTest {

    @Test
    void moreLanesThanPartitionsNeedNoWarning() {
        assertEquals(Optional.empty(), LaneCoverage.warning("sandq.jobs", 1, 4));
        assertEquals(Optional.empty(), LaneCoverage.warning("sandq.jobs", 3, 4));
    }

    @Test
    void asManyPartitionsAsLanesOrMoreAreNamedWithTheFix() {
        String w = LaneCoverage.warning("sandq.jobs", 12, 4).orElseThrow();
        assertTrue(w.contains("sandq.jobs has 12 partition(s) and this worker 4 lane(s)"), w);
        assertTrue(w.contains("fewer partitions than the group's lanes"), w);
        assertTrue(LaneCoverage.warning("sandq.jobs", 4, 4).isPresent(), "4 partitions over 4 lanes: one each");
    }
}
