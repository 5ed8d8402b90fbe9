package dev.sandq.executor;

/** How a job ended; exactly one per answered job (DESIGN.md, the wire contract). */
public enum Status {
    /** The program exited 0. */
    OK("ok"),
    /** Non-zero exit or uncaught exception. */
    ERROR("error"),
    /** Wall-clock or CPU time limit reached. */
    TIMEOUT("timeout"),
    MEMORY_LIMIT("memory_limit"),
    OUTPUT_LIMIT("output_limit"),
    /** Killed by the seccomp filter (SIGSYS). */
    SYSCALL_DENIED("syscall_denied"),
    /** Killed by any other signal. */
    KILLED("killed"),
    /** The job itself is invalid and was not run. */
    REJECTED("rejected"),
    /** The job's deadline passed before it could run. */
    EXPIRED("expired"),
    /** The sandbox failed, not the code. */
    INTERNAL_ERROR("internal_error");

    private final String wireName;

    Status(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
