package dev.sandq.wire;

/** Names the reason of a dead letter whose reply destination is unusable (kafka_dlt-exception-fqcn). */
public final class UnroutableJobException extends Exception {
    public UnroutableJobException(String message) {
        super(message);
    }
}
