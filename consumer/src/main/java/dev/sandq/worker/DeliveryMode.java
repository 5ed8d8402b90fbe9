package dev.sandq.worker;

import java.util.Arrays;

/** How replies and offsets are committed. */
public enum DeliveryMode {
    /** Reply acknowledged, then offset committed: after a crash a job may be answered twice (same id). */
    AT_LEAST_ONCE("at-least-once"),
    /** Replies and offsets committed in one transaction: read_committed readers see one reply per job. */
    EXACTLY_ONCE("exactly-once"),
    /**
     * A share group (KIP-932): each job record acknowledged on its own once its reply is; no
     * partition limit on parallelism. At least once, like AT_LEAST_ONCE.
     */
    QUEUE("queue");

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
                        "delivery mode must be at-least-once, exactly-once or queue, got '" + name + "'"));
    }
}
