package dev.sandq.client;

/** The jobs or the results topic does not exist (the message says which and what to run). */
public final class MissingTopicsException extends RuntimeException {
    public MissingTopicsException(String message) {
        super(message);
    }
}
