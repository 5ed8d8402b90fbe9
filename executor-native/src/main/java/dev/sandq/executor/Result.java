package dev.sandq.executor;

import java.util.Objects;

/**
 * What the sandbox says about one job. Output that is not valid UTF-8 is decoded with
 * replacement characters so that it always serialises to valid JSON.
 *
 * @param exitCode the program's exit code, or null when it did not exit normally / did not run
 * @param signal   the signal that killed it, or null
 * @param error    one human-readable sentence when status is not ok, else null
 * @param timeline when the job passed the sandbox's stages ({@link SandboxTimeline#NONE} when it never ran)
 * @param outputs  the files it left in its output directory ({@link OutputFiles#NONE} when it never ran)
 */
public record Result(
        Status status,
        Integer exitCode,
        Integer signal,
        String stdout,
        String stderr,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        String error,
        Usage usage,
        SandboxTimeline timeline,
        OutputFiles outputs) {

    public Result {
        Objects.requireNonNull(status, "status");
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
        usage = usage == null ? Usage.NONE : usage;
        timeline = timeline == null ? SandboxTimeline.NONE : timeline;
        outputs = outputs == null ? OutputFiles.NONE : outputs;
    }

    /** A result without output files. */
    public Result(Status status, Integer exitCode, Integer signal, String stdout, String stderr,
                  boolean stdoutTruncated, boolean stderrTruncated, String error, Usage usage,
                  SandboxTimeline timeline) {
        this(status, exitCode, signal, stdout, stderr, stdoutTruncated, stderrTruncated, error, usage, timeline,
                OutputFiles.NONE);
    }

    /** A result without a timeline ({@link SandboxTimeline#NONE}). */
    public Result(Status status, Integer exitCode, Integer signal, String stdout, String stderr,
                  boolean stdoutTruncated, boolean stderrTruncated, String error, Usage usage) {
        this(status, exitCode, signal, stdout, stderr, stdoutTruncated, stderrTruncated, error, usage,
                SandboxTimeline.NONE);
    }

    /**
     * The error of a job rejected because it asked for the network on a worker that does not allow
     * it; clients (the Dify gateway) recognise it by this prefix.
     */
    public static final String NETWORK_NOT_ALLOWED = "This worker does not allow jobs to use the network";

    /** A result for a job that never ran (rejected, expired, internal_error). */
    public static Result notRun(Status status, String error) {
        return new Result(status, null, null, "", "", false, false, error, Usage.NONE);
    }

    /** The same result with {@code next} as its timeline. */
    public Result withTimeline(SandboxTimeline next) {
        return new Result(status, exitCode, signal, stdout, stderr, stdoutTruncated, stderrTruncated, error, usage,
                next, outputs);
    }

    /** The same result with {@code files} as its output files. */
    public Result withOutputs(OutputFiles files) {
        return new Result(status, exitCode, signal, stdout, stderr, stdoutTruncated, stderrTruncated, error, usage,
                timeline, files);
    }
}
