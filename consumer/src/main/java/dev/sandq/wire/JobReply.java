package dev.sandq.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sandq.executor.OutputFiles;
import dev.sandq.executor.Result;
import dev.sandq.executor.Status;
import dev.sandq.executor.Usage;
import java.time.Instant;
import java.util.Objects;

/**
 * The result document of one job (schemas/result.schema.json), as published on the reply topic.
 *
 * @param id            the job's id, or null
 * @param correlationId the correlation header as text (see {@link CorrelationIds#toText}), or null
 * @param result        function/template result, or null
 * @param files         the output files and whether some were left out
 */
public record JobReply(
        String id,
        String correlationId,
        Status status,
        Integer exitCode,
        Integer signal,
        String stdout,
        String stderr,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        JsonNode result,
        String error,
        Usage usage,
        String worker,
        int attempt,
        Instant startedAt,
        Instant finishedAt,
        OutputFiles files) {

    public JobReply {
        Objects.requireNonNull(status, "status");
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
        usage = usage == null ? Usage.NONE : usage;
        Objects.requireNonNull(worker, "worker");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        }
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        files = files == null ? OutputFiles.NONE : files;
    }

    /** A reply without output files. */
    public JobReply(String id, String correlationId, Status status, Integer exitCode, Integer signal, String stdout,
                    String stderr, boolean stdoutTruncated, boolean stderrTruncated, JsonNode result, String error,
                    Usage usage, String worker, int attempt, Instant startedAt, Instant finishedAt) {
        this(id, correlationId, status, exitCode, signal, stdout, stderr, stdoutTruncated, stderrTruncated, result,
                error, usage, worker, attempt, startedAt, finishedAt, OutputFiles.NONE);
    }

    /** A reply built from what the sandbox said. */
    public static JobReply of(String id, String correlationId, Result r, JsonNode result, String worker,
                              int attempt, Instant startedAt, Instant finishedAt) {
        return new JobReply(id, correlationId, r.status(), r.exitCode(), r.signal(), r.stdout(), r.stderr(),
                r.stdoutTruncated(), r.stderrTruncated(), result, r.error(), r.usage(), worker, attempt,
                startedAt, finishedAt, r.outputs());
    }

    /** A reply for a job that did not run (rejected, expired, internal_error). */
    public static JobReply notRun(String id, String correlationId, Status status, String error, String worker,
                                  int attempt, Instant startedAt, Instant finishedAt) {
        return new JobReply(id, correlationId, status, null, null, "", "", false, false, null, error,
                Usage.NONE, worker, attempt, startedAt, finishedAt);
    }

    /** The same reply with its output cut to at most {@code maxChars} characters each, flagged truncated. */
    public JobReply withOutputCut(int maxChars, String why) {
        boolean cutOut = stdout.length() > maxChars;
        boolean cutErr = stderr.length() > maxChars;
        return new JobReply(id, correlationId, status, exitCode, signal,
                cutOut ? stdout.substring(0, maxChars) : stdout,
                cutErr ? stderr.substring(0, maxChars) : stderr,
                stdoutTruncated || cutOut, stderrTruncated || cutErr,
                maxChars == 0 ? null : result, error == null ? why : error + " " + why,
                usage, worker, attempt, startedAt, finishedAt, files);
    }

    /**
     * The same reply without its output files (flagged truncated), its status {@code output_limit}
     * and {@code why} its error: for a reply too large for one record.
     */
    public JobReply withoutFiles(String why) {
        return new JobReply(id, correlationId, Status.OUTPUT_LIMIT, exitCode, signal, stdout, stderr, stdoutTruncated,
                stderrTruncated, result, error == null ? why : error + " " + why, usage, worker, attempt, startedAt,
                finishedAt, new OutputFiles(java.util.List.of(), true));
    }
}
