package dev.sandq.worker;

import java.util.OptionalLong;

/**
 * The metadata sandq writes with each committed offset: one past the highest offset the
 * committing worker's slots had started in that partition ({@code sandq:taken=N}). A worker that
 * is later assigned the partition knows that records from the committed offset up to N were
 * already started once (by a worker that crashed, was fenced, was stopped at its drain deadline
 * or lost the partition): it runs them as attempt 2.
 */
final class TakenMark {
    private static final String PREFIX = "sandq:taken=";

    private TakenMark() {
    }

    static String format(long takenEnd) {
        return PREFIX + takenEnd;
    }

    /** @return the mark in {@code metadata}, or empty when there is none (another client's commit, or none yet) */
    static OptionalLong parse(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(metadata.substring(PREFIX.length())));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
