package dev.sandq.worker.topics;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One topic of the catalogue: what `sandq topics apply` creates and compares. */
public record TopicSpec(String role, String name, int partitions, Optional<Short> replicationFactor,
                        Map<String, String> configs) {
    public TopicSpec {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of " + name + " must be positive, got " + partitions);
        }
        replicationFactor = Objects.requireNonNull(replicationFactor, "replicationFactor");
        configs = Map.copyOf(configs);
    }

    public TopicSpec withPartitions(int n) {
        return new TopicSpec(role, name, n, replicationFactor, configs);
    }
}
