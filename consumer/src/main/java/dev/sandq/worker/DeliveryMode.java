package dev.sandq.worker;

import java.util.Arrays;

/** How replies and offsets are committed. */
public enum DeliveryMode {
    /** Reply acknowledged, then offset committed: after a crash a job may be answered twice (same id). */
    AT_LEAST_ONCE("at-least-once"),
    /** Replies and offsets committed in one transaction: read_committed readers see one reply per job. */
    EXACTLY_ONCE("exactly-once");

    private final String wireName;

    DeliveryMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static DeliveryMode parse(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "delivery mode must be at-least-once or exactly-once, got '" + name + "'"));
    }
}
