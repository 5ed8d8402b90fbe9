package dev.sandq.executor;

import java.util.Map;

/**
 * Runs jobs in isolated, resource-limited children. Thread-safe: up to
 * {@link SandboxConfig#slots()} jobs run at once, each in its own slot (its own uid); further
 * callers block until a slot is free.
 *
 * <p>{@link #run} never throws for anything the job does: every outcome is a {@link Result}.
 * When the sandbox itself fails (launcher missing, mount refused, ...) the result has status
 * {@link Status#INTERNAL_ERROR} and an error sentence naming the failed step.
 */
public interface Sandbox extends AutoCloseable {

    Result run(Job job) throws InterruptedException;

    /** How many jobs can run at once. */
    int slots();

    /** Slots currently running a job. */
    int busySlots();

    /** The launch path each language's jobs take on this worker, and why. */
    default Map<Language, LaunchPathChoice> launchPaths() {
        return Map.of();
    }

    /** How the jobs run so far got their sandboxes. */
    default SandboxStarts starts() {
        return SandboxStarts.NONE;
    }

    /**
     * Jobs after which the sandbox failed to clean up (their result stands; a cgroup or mount of
     * theirs may be left on the host). Counted since the sandbox was opened.
     */
    default long cleanupFailures() {
        return 0;
    }

    @Override
    void close();
}
