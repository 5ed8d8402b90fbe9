package dev.sandq.worker;

import dev.sandq.executor.SandboxTimeline;
import dev.sandq.wire.JobStage;
import dev.sandq.wire.StagesHeader;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When one job passed the worker's {@link JobStage}s, as {@link System#nanoTime()} values (the
 * clock of the sandbox's {@link SandboxTimeline} too). Immutable: each stage reached gives a new
 * timeline. A stage not reached (a rejected job never gets a slot) is left out of
 * {@link #durations()} and of the reply's {@link StagesHeader}; the next stage reached counts from
 * the last one before it.
 */
final class JobTimeline {
    private static final JobStage[] STAGES = JobStage.values();
    /** Not reached. System.nanoTime() is CLOCK_MONOTONIC on Linux: the time since boot, never 0. */
    private static final long NONE = 0;

    /** Per stage, by ordinal: when it was reached, or NONE. */
    private final long[] at;

    private JobTimeline(long[] at) {
        this.at = at;
    }

    /** A job whose record the worker's poll returned at {@code nanoTime}. */
    static JobTimeline polledAt(long nanoTime) {
        return new JobTimeline(new long[STAGES.length]).with(JobStage.POLLED, nanoTime);
    }

    /** The same timeline with {@code stage} reached at {@code nanoTime} (0 leaves it unreached). */
    JobTimeline with(JobStage stage, long nanoTime) {
        long[] next = Arrays.copyOf(at, at.length);
        next[stage.ordinal()] = nanoTime;
        return new JobTimeline(next);
    }

    /** The same timeline with the sandbox's stages, those it reached. */
    JobTimeline withSandbox(SandboxTimeline sandbox) {
        long[] next = Arrays.copyOf(at, at.length);
        next[JobStage.SLOT_ACQUIRED.ordinal()] = sandbox.slotAcquired();
        next[JobStage.SANDBOX_READY.ordinal()] = sandbox.sandboxReady();
        next[JobStage.STARTED.ordinal()] = sandbox.started();
        next[JobStage.EXITED.ordinal()] = sandbox.exited();
        next[JobStage.RESULT_READ.ordinal()] = sandbox.resultRead();
        return new JobTimeline(next);
    }

    boolean reached(JobStage stage) {
        return at[stage.ordinal()] != NONE;
    }

    /** When {@code stage} was reached (System.nanoTime()), or 0 when it was not. */
    long at(JobStage stage) {
        return at[stage.ordinal()];
    }

    /**
     * Each stage reached after the first one, in order, with its time: from the stage reached
     * before it (never negative).
     */
    Map<JobStage, Duration> durations() {
        Map<JobStage, Duration> durations = new EnumMap<>(JobStage.class);
        long previous = NONE;
        for (JobStage stage : STAGES) {
            long t = at[stage.ordinal()];
            if (t == NONE) {
                continue;
            }
            if (previous != NONE) {
                durations.put(stage, Duration.ofNanos(Math.max(0, t - previous)));
            }
            previous = t;
        }
        return durations;
    }

    /**
     * The {@link StagesHeader} value: the stages reached, in order, as microseconds since
     * polled; empty when the poll was not recorded.
     */
    byte[] header() {
        Map<String, Long> micros = new LinkedHashMap<>();
        long polled = at(JobStage.POLLED);
        if (polled != NONE) {
            for (JobStage stage : STAGES) {
                long t = at[stage.ordinal()];
                if (t != NONE) {
                    micros.put(stage.wireName(), Math.max(0, t - polled) / 1_000);
                }
            }
        }
        return StagesHeader.format(micros);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("JobTimeline[");
        for (JobStage stage : STAGES) {
            if (reached(stage)) {
                s.append(s.length() > 12 ? ", " : "").append(stage.wireName()).append('=').append(at(stage));
            }
        }
        return s.append(']').toString();
    }
}
