package dev.sandq.worker.topics;

/** A topic the worker needs does not exist; the message says which and what to run. */
public final class MissingTopicException extends Exception {
    public MissingTopicException(String message) {
        super(message);
    }
}
