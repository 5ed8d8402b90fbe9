package dev.sandq.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.executor.InputFile;
import dev.sandq.executor.JobLimits;
import dev.sandq.executor.Language;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A job document that passed validation (schemas/job.schema.json).
 *
 * @param id            the producer's idempotency key, or null
 * @param inputs        function arguments / template variables (never null; empty object when absent)
 * @param preload       source run before code, or empty
 * @param stdin         text for standard input, or empty
 * @param deadline      when the answer is no longer wanted, or null
 * @param files         input files, decoded (empty when none)
 */
public record JobRequest(
        String id,
        Language language,
        String code,
        JobMode mode,
        ObjectNode inputs,
        String preload,
        String stdin,
        boolean enableNetwork,
        JobLimits limits,
        Instant deadline,
        List<InputFile> files) {

    public JobRequest {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(inputs, "inputs");
        preload = preload == null ? "" : preload;
        stdin = stdin == null ? "" : stdin;
        limits = limits == null ? JobLimits.DEFAULTS : limits;
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** A job without input files. */
    public JobRequest(String id, Language language, String code, JobMode mode, ObjectNode inputs, String preload,
                      String stdin, boolean enableNetwork, JobLimits limits, Instant deadline) {
        this(id, language, code, mode, inputs, preload, stdin, enableNetwork, limits, deadline, List.of());
    }

    public Optional<String> optionalId() {
        return Optional.ofNullable(id);
    }

    /** True when the deadline is set and not after {@code now}. */
    public boolean expiredAt(Instant now) {
        return deadline != null && !deadline.isAfter(now);
    }
}
