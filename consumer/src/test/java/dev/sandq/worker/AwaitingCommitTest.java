package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Jobs wait for the commit that covers their offset, then are timed once and forgotten. */
@Fast
class AwaitingCommitTest {
    private static final TopicPartition P0 = new TopicPartition("jobs", 0);
    private static final TopicPartition P1 = new TopicPartition("jobs", 1);

    @Test
    void aCommitTimesTheJobsBelowItsOffsetFromTheirAcknowledgement() {
        AwaitingCommit awaiting = new AwaitingCommit();
        awaiting.answered(P0, 5, 1_000);
        awaiting.answered(P0, 3, 2_000); // out of order
        awaiting.answered(P0, 7, 3_000);
        awaiting.answered(P1, 0, 4_000);
        List<Duration> timed = new ArrayList<>();
        awaiting.committed(Map.of(P0, new OffsetAndMetadata(6)), 10_000, timed::add);
        assertEquals(List.of(Duration.ofNanos(9_000), Duration.ofNanos(8_000)), timed);
        assertEquals(2, awaiting.size(), "offset 7 of P0 and P1's job wait");

        timed.clear();
        awaiting.committed(Map.of(P0, new OffsetAndMetadata(6)), 11_000, timed::add);
        assertEquals(List.of(), timed, "each job is timed once");
    }

    @Test
    void theJobsOfAPartitionGoneAreForgotten() {
        AwaitingCommit awaiting = new AwaitingCommit();
        awaiting.answered(P0, 1, 1);
        awaiting.answered(P1, 1, 1);
        awaiting.retain(Set.of(P1));
        assertEquals(1, awaiting.size());
    }

    @Test
    void aPartitionKeepsAtMostItsCapacity() {
        AwaitingCommit awaiting = new AwaitingCommit();
        for (int i = 0; i < AwaitingCommit.CAPACITY + 10; i++) {
            awaiting.answered(P0, i, i);
        }
        assertEquals(AwaitingCommit.CAPACITY, awaiting.size());
        List<Duration> timed = new ArrayList<>();
        awaiting.committed(Map.of(P0, new OffsetAndMetadata(AwaitingCommit.CAPACITY + 10)), 1_000_000, timed::add);
        assertEquals(AwaitingCommit.CAPACITY, timed.size());
        assertEquals(0, awaiting.size());
    }
}
