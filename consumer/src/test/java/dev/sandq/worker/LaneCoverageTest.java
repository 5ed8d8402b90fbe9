package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.shareassignor.AllPartitionsShareAssignor;
import dev.sandq.testing.Fast;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Fast
class LaneCoverageTest {
    private static final Optional<String> KAFKAS_DEFAULT = Optional.of("");

    @Test
    void moreLanesThanPartitionsNeedNoWarning() {
        assertEquals(Optional.empty(), LaneCoverage.warning("sandq.jobs", 1, 4, KAFKAS_DEFAULT));
        assertEquals(Optional.empty(), LaneCoverage.warning("sandq.jobs", 3, 4, Optional.empty()));
    }

    @Test
    void asManyPartitionsAsLanesOrMoreAreNamedWithBothFixes() {
        String w = LaneCoverage.warning("sandq.jobs", 12, 4, KAFKAS_DEFAULT).orElseThrow();
        assertTrue(w.contains("sandq.jobs has 12 partition(s) and this worker 4 lane(s)"), w);
        assertTrue(w.contains("the broker's group.share.assignors is Kafka's default"), w);
        assertTrue(w.contains("group.share.assignors=dev.sandq.shareassignor.AllPartitionsShareAssignor"), w);
        assertTrue(w.contains("fewer partitions than the group's lanes"), w);
        assertTrue(LaneCoverage.warning("sandq.jobs", 4, 4, Optional.of("simple")).orElseThrow()
                .contains("group.share.assignors is simple"), "4 partitions over 4 lanes: one each");
        assertTrue(LaneCoverage.warning("sandq.jobs", 4, 4, Optional.empty()).orElseThrow()
                .contains("could not be read"), "an unreadable broker config is said so");
    }

    @Test
    void aBrokerWhoseAssignorGivesEveryMemberEveryPartitionNeedsNoWarning() {
        assertEquals(Optional.empty(), LaneCoverage.warning("sandq.jobs", 12, 4,
                Optional.of(AllPartitionsShareAssignor.class.getName())));
        assertEquals(AllPartitionsShareAssignor.class.getName(), LaneCoverage.ALL_PARTITIONS_ASSIGNOR,
                "the worker names the assignor's class as it is");
    }
}
