package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

@Fast
class PartitionOffsetsTest {
    @Test
    void outOfOrderAnswersCommitOnlyBelowTheLowestUnanswered() {
        PartitionOffsets p = new PartitionOffsets();
        p.taken(10);
        p.taken(11);
        p.taken(12);
        p.answered(12);
        p.answered(11);
        assertEquals(OptionalLong.of(10), p.committable()); // 10 still running: nothing past it
        p.committed(10, p.takenEnd());
        assertEquals(OptionalLong.empty(), p.committable());
        p.answered(10);
        assertEquals(OptionalLong.of(13), p.committable());
    }

    @Test
    void failedCommitIsOfferedAgain() {
        PartitionOffsets p = new PartitionOffsets();
        p.taken(0);
        p.answered(0);
        p.committed(1, p.takenEnd());
        assertEquals(OptionalLong.empty(), p.committable());
        p.commitFailed();
        assertEquals(OptionalLong.of(1), p.committable());
    }

    @Test
    void reopenedOffsetHoldsCommitsBack() {
        PartitionOffsets p = new PartitionOffsets();
        p.taken(5);
        p.answered(5);
        p.reopened(5);
        assertEquals(OptionalLong.of(5), p.committable());
    }

    @Test
    void startingMoreRecordsMakesACommitDueSoTheTakenMarkStaysCurrent() {
        PartitionLease lease = new PartitionLease(new org.apache.kafka.common.TopicPartition("t", 0));
        PartitionOffsets p = new PartitionOffsets(-1, lease::startedEnd);
        p.taken(0);
        p.taken(1);
        p.committed(0, p.takenEnd());
        assertEquals(OptionalLong.empty(), p.committable(), "fetched but not started: nothing new to record");
        lease.started(0);
        assertEquals(OptionalLong.of(0), p.committable(), "nothing answered, but offset 0 was started");
        p.committed(0, p.takenEnd());
        assertEquals(OptionalLong.empty(), p.committable());
        lease.started(1);
        assertEquals(OptionalLong.of(0), p.committable());
        assertEquals(2, p.takenEnd());
    }

    @Test
    void recordsAnEarlierOwnerStartedRunAsAttemptTwo() {
        PartitionOffsets p = new PartitionOffsets(7, () -> -1);
        assertEquals(2, p.firstAttempt(5));
        assertEquals(2, p.firstAttempt(6));
        assertEquals(1, p.firstAttempt(7));
        assertEquals(1, new PartitionOffsets().firstAttempt(0));
    }

    @Test
    void takenMarkRoundTripsAndIgnoresForeignMetadata() {
        assertEquals(OptionalLong.of(42), TakenMark.parse(TakenMark.format(42)));
        assertEquals(OptionalLong.empty(), TakenMark.parse(""));
        assertEquals(OptionalLong.empty(), TakenMark.parse(null));
        assertEquals(OptionalLong.empty(), TakenMark.parse("sandq:taken=x"));
    }
}
