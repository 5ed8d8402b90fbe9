package dev.sandq.wire;

/**
 * The stages one job passes in a worker, in order, by the names that the {@link StagesHeader} and
 * the {@code sandq_job_stage_seconds} metric ({@code stage} tag) use. The time of a stage is the
 * time from the one before it that the job reached. A prestarted sandbox (docs/operating.md) was
 * ready before its job came: for its job, {@link #SANDBOX_READY} is the hand-over.
 */
public enum JobStage {
    /** The worker's poll returned the job's record. */
    POLLED("polled"),
    /** Its headers were routed and its body parsed and validated (the slot thread took it first). */
    PARSED("parsed"),
    /** It got a sandbox slot (its uid and directory). */
    SLOT_ACQUIRED("slot_acquired"),
    /** Its sandbox is built and the job is about to be forked in it, or it was handed to a prestarted one. */
    SANDBOX_READY("sandbox_ready"),
    /** The program started: execve, or a prestarted sandbox's start byte. */
    STARTED("started"),
    /** The sandbox's init reported the end of the job's main process. */
    EXITED("exited"),
    /** The worker has read its output and the launcher's status line. */
    RESULT_READ("result_read"),
    /** The reply's send was called (exactly-once: in the poll thread's next transaction). */
    PRODUCED("produced"),
    /** The broker acknowledged the reply. */
    ACKNOWLEDGED("acknowledged"),
    /** The job's offset was committed (exactly-once: its transaction committed). */
    COMMITTED("committed");

    private final String wireName;

    JobStage(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
