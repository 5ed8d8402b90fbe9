package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

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
        p.committed(10);
        assertEquals(OptionalLong.empty(), p.committable());
        p.answered(10);
        assertEquals(OptionalLong.of(13), p.committable());
    }

    @Test
    void failedCommitIsOfferedAgain() {
        PartitionOffsets p = new PartitionOffsets();
        p.taken(0);
        p.answered(0);
        p.committed(1);
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
}
