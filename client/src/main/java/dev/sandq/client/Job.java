package dev.sandq.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One job, as the job schema ({@code schemas/.../job.schema.json}) describes it. Only
 * {@code language} and {@code code} are required; every other component may be null (the worker's
 * default). Build one with {@link #python}, {@link #nodejs} or {@link #of} and the {@code with...}
 * methods, each of which returns a new job.
 *
 * <p>{@code extra} holds top-level fields this version of the client has no component for (a newer
 * worker's, such as {@code files}); they are sent as they are, beside the others.
 *
 * @param id idempotency key, echoed in the result (a reader drops a duplicate reply by it)
 * @param deadline when the answer is no longer wanted: a job dequeued after it is answered {@code expired}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Job(String id, Language language, String code, Mode mode, Map<String, Object> inputs,
                  String preload, String stdin, Boolean enableNetwork, Limits limits, Instant deadline,
                  @JsonIgnore Map<String, Object> extra) {

    public Job {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(code, "code");
        if (id != null && (id.isEmpty() || id.length() > 256)) {
            throw new IllegalArgumentException("id must be 1 to 256 characters, got " + id.length());
        }
        inputs = inputs == null ? null : Map.copyOf(inputs);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public static Job of(Language language, String code) {
        return new Job(null, language, code, null, null, null, null, null, null, null, null);
    }

    public static Job python(String code) {
        return of(Language.PYTHON3, code);
    }

    public static Job nodejs(String code) {
        return of(Language.NODEJS, code);
    }

    public Job withId(String newId) {
        return new Job(newId, language, code, mode, inputs, preload, stdin, enableNetwork, limits, deadline, extra);
    }

    public Job withMode(Mode newMode) {
        return new Job(id, language, code, newMode, inputs, preload, stdin, enableNetwork, limits, deadline, extra);
    }

    public Job withInputs(Map<String, ?> newInputs) {
        return new Job(id, language, code, mode, Map.copyOf(newInputs), preload, stdin, enableNetwork, limits,
                deadline, extra);
    }

    public Job withPreload(String newPreload) {
        return new Job(id, language, code, mode, inputs, newPreload, stdin, enableNetwork, limits, deadline, extra);
    }

    public Job withStdin(String newStdin) {
        return new Job(id, language, code, mode, inputs, preload, newStdin, enableNetwork, limits, deadline, extra);
    }

    public Job withNetwork(boolean enabled) {
        return new Job(id, language, code, mode, inputs, preload, stdin, enabled, limits, deadline, extra);
    }

    public Job withLimits(Limits newLimits) {
        return new Job(id, language, code, mode, inputs, preload, stdin, enableNetwork, newLimits, deadline, extra);
    }

    public Job withDeadline(Instant newDeadline) {
        return new Job(id, language, code, mode, inputs, preload, stdin, enableNetwork, limits, newDeadline, extra);
    }

    /** This job with one more top-level field (one this record has no component for), sent as it is. */
    public Job withExtra(String field, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extra);
        more.put(field, value);
        return new Job(id, language, code, mode, inputs, preload, stdin, enableNetwork, limits, deadline, more);
    }
}
