package dev.sandq.executor;

/**
 * When one job passed the sandbox's stages, as {@link System#nanoTime()} values: on Linux that is
 * {@code CLOCK_MONOTONIC}, which the launcher reads for the instants it reports, so that they and
 * Java's compare. A stage the job did not reach, or that was not seen, is 0 (a job that never ran
 * has {@link #NONE}). The stages come in this order; durations between them are the caller's to
 * take (the worker's {@code sandq_job_stage_seconds}).
 *
 * @param slotAcquired the job got a slot (its uid and directory): {@link Sandbox#run} waits for one
 *                     while all are busy
 * @param sandboxReady the sandbox is built and the job is about to be forked in it: its init has the
 *                     new root, is in the job's cgroup and forks the job next. For a job run in a
 *                     prestarted sandbox, which was ready before the job came, it is the instant the
 *                     job was handed to it (its code sent on the sandbox's stdin)
 * @param started      the program started: the execve of a sandbox built for the job; in a
 *                     prestarted sandbox, the start byte its bootstrap writes once it has the code
 * @param exited       the sandbox's init reported the end of the job's main process (or was found
 *                     gone, when the job was killed)
 * @param resultRead   the job's output and the launcher's status line were read: the {@link Result}
 *                     is made
 */
public record SandboxTimeline(long slotAcquired, long sandboxReady, long started, long exited, long resultRead) {
    /** A job that never reached the sandbox. */
    public static final SandboxTimeline NONE = new SandboxTimeline(0, 0, 0, 0, 0);

    public SandboxTimeline withSlotAcquired(long nanoTime) {
        return new SandboxTimeline(nanoTime, sandboxReady, started, exited, resultRead);
    }
}
