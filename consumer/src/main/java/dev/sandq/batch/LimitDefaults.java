package dev.sandq.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Limits given to every job of a batch that does not ask for them itself ({@code --limit
 * wall_time_ms=2000}): the job schema's limit names, each at least 1. The worker still clamps
 * them to its ceilings.
 */
public record LimitDefaults(Map<String, Long> limits) {
    /** The job schema's limits. */
    public static final Set<String> NAMES = Set.of("wall_time_ms", "cpu_time_ms", "memory_mb", "max_output_bytes",
            "max_processes", "max_file_bytes");
    public static final LimitDefaults NONE = new LimitDefaults(Map.of());

    public LimitDefaults {
        for (var e : limits.entrySet()) {
            if (!NAMES.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown limit '" + e.getKey() + "'; one of "
                        + String.join(", ", new java.util.TreeSet<>(NAMES)));
            }
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException(e.getKey() + " must be at least 1, got " + e.getValue());
            }
        }
        limits = Map.copyOf(new TreeMap<>(limits));
    }

    /** Sets each default the job's {@code limits} lacks (a job's own limit wins). */
    void applyTo(ObjectNode job) {
        if (limits.isEmpty()) {
            return;
        }
        ObjectNode own = job.with("limits");
        limits.forEach((name, value) -> {
            if (!own.has(name)) {
                own.put(name, value);
            }
        });
    }
}
