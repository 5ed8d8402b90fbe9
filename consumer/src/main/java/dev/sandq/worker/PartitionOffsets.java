package dev.sandq.worker;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The offsets of one partition that were taken but not yet answered. Records finish out of
 * order; what may be committed is the lowest unanswered offset, or one past the highest taken
 * when all are answered. A commit is also due when more records were taken since the last one,
 * so that the commit's {@link TakenMark} stays current. Used by the poll thread only.
 */
final class PartitionOffsets {
    private final TreeSet<Long> unanswered = new TreeSet<>();
    private final long previouslyTakenEnd;
    private long next = -1;
    private long committed = -1;
    private long committedTakenEnd = -1;

    PartitionOffsets() {
        this(-1);
    }

    /** @param previouslyTakenEnd offsets below this were taken by an earlier owner of the partition (-1: unknown) */
    PartitionOffsets(long previouslyTakenEnd) {
        this.previouslyTakenEnd = previouslyTakenEnd;
    }

    void taken(long offset) {
        unanswered.add(offset);
        next = Math.max(next, offset + 1);
    }

    /** 2 for a record an earlier owner already took (it is being redelivered), else 1. */
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

    /** One past the highest offset taken (by this worker, or by the previous owner if that is higher). */
    long takenEnd() {
        return Math.max(next, previouslyTakenEnd);
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
