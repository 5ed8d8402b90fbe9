package dev.sandq.worker;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The offsets of one partition that were taken but not yet answered. Records finish out of
 * order; what may be committed is the lowest unanswered offset, or one past the highest taken
 * when all are answered. Used by the poll thread only.
 */
final class PartitionOffsets {
    private final TreeSet<Long> unanswered = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    void taken(long offset) {
        unanswered.add(offset);
        next = Math.max(next, offset + 1);
    }

    void answered(long offset) {
        unanswered.remove(offset);
    }

    /** Undo {@link #answered} (a transaction that carried its reply was aborted). */
    void reopened(long offset) {
        unanswered.add(offset);
    }

    /** The offset to commit, when it moved past the last commit. */
    OptionalLong committable() {
        long candidate = unanswered.isEmpty() ? next : unanswered.first();
        return candidate > committed ? OptionalLong.of(candidate) : OptionalLong.empty();
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    void commitFailed() {
        committed = -1;
    }

    int unansweredCount() {
        return unanswered.size();
    }
}
