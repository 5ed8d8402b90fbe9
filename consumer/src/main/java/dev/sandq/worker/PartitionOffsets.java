package dev.sandq.worker;

import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.TreeSet;

/**
 * The offsets of one partition that were taken but not yet answered. Records finish out of
 * order; what may be committed is the lowest unanswered offset, or one past the highest taken
 * when all are answered. A commit is also due when slots started more records since the last
 * one, so that the commit's {@link TakenMark} stays current. Used by the poll thread only.
 */
final class PartitionOffsets {
    private final TreeSet<Long> unanswered = new TreeSet<>();
    private final long previouslyTakenEnd;
    private final LongSupplier startedEnd;
    private long next = -1;
    private long committed = -1;
    private long committedTakenEnd = -1;

    PartitionOffsets() {
        this(-1, () -> -1);
    }

    /**
     * @param previouslyTakenEnd offsets below this were started by an earlier owner of the partition (-1: unknown)
     * @param startedEnd         one past the highest offset this worker's slots started (read on the poll thread)
     */
    PartitionOffsets(long previouslyTakenEnd, LongSupplier startedEnd) {
        this.previouslyTakenEnd = previouslyTakenEnd;
        this.startedEnd = startedEnd;
    }

    void taken(long offset) {
        unanswered.add(offset);
        next = Math.max(next, offset + 1);
    }

    /** 2 for a record an earlier owner already started (it is being redelivered), else 1. */
    int firstAttempt(long offset) {
        return offset < previouslyTakenEnd ? 2 : 1;
    }

    void answered(long offset) {
        unanswered.remove(offset);
    }

    /** Undo {@link #answered} (a transaction that carried its reply was aborted). */
    void reopened(long offset) {
        unanswered.add(offset);
    }

    /** The offset to commit, when it or the taken mark moved since the last commit. */
    OptionalLong committable() {
        long candidate = unanswered.isEmpty() ? next : unanswered.first();
        boolean moved = candidate > committed || takenEnd() > committedTakenEnd;
        return moved && candidate >= 0 ? OptionalLong.of(candidate) : OptionalLong.empty();
    }

    /**
     * One past the highest offset started (by this worker's slots, or by the previous owner if
     * higher): what the commit's {@link TakenMark} records. Records only fetched (prefetched, never
     * started) do not count, so a graceful hand-over does not make them look redelivered.
     */
    long takenEnd() {
        return Math.max(startedEnd.getAsLong(), previouslyTakenEnd);
    }

    void committed(long offset, long takenEnd) {
        committed = Math.max(committed, offset);
        committedTakenEnd = Math.max(committedTakenEnd, takenEnd);
    }

    void commitFailed() {
        committed = -1;
        committedTakenEnd = -1;
    }

    int unansweredCount() {
        return unanswered.size();
    }
}
