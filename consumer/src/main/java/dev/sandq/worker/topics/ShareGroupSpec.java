package dev.sandq.worker.topics;

import java.util.Map;
import java.util.Objects;

/** The share group of queue mode, as the catalogue describes it: what `sandq topics apply` sets on it. */
public record ShareGroupSpec(String name, Map<String, String> configs) {
    public static final String LOCK_DURATION = "share.record.lock.duration.ms";
    public static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";

    public ShareGroupSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("share group name must not be blank, got '" + name + "'");
        }
        configs = Map.copyOf(Objects.requireNonNull(configs, "configs"));
    }

    /** The same configs on another group (`--share-group`, or the worker's `--group`). */
    public ShareGroupSpec named(String other) {
        return new ShareGroupSpec(other, configs);
    }

    /** The same with {@code key} set to {@code value}. */
    public ShareGroupSpec with(String key, String value) {
        Map<String, String> next = new java.util.LinkedHashMap<>(configs);
        next.put(key, value);
        return new ShareGroupSpec(name, next);
    }
}
