package dev.sandq.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The answer to one job, as the result schema ({@code schemas/.../result.schema.json}) describes
 * it. Fields a newer worker adds (such as {@code files}) are ignored here; {@link SandqClient#submitJson}
 * gives the reply's JSON as it came.
 *
 * @param id the job's id, null when it had none
 * @param correlationId the request's kafka_correlationId as text (base64: prefixed when not UTF-8)
 * @param exitCode null when the program did not exit on its own
 * @param signal the signal that ended it, else null
 * @param result function mode: the value main returned; template mode: the rendered text; else null
 * @param error one sentence when the status is not ok, else null
 * @param worker which worker answered
 * @param attempt how many times the job was started, as far as the worker can tell
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Result(String id, String correlationId, Status status, Integer exitCode, Integer signal,
                     String stdout, String stderr, boolean stdoutTruncated, boolean stderrTruncated,
                     JsonNode result, String error, Usage usage, String worker, int attempt,
                     Instant startedAt, Instant finishedAt) {

    /** Whether the program ran and ended well. */
    public boolean ok() {
        return status == Status.OK;
    }
}
