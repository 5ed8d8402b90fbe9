package dev.sandq.executor.seccomp.internal;

/**
 * libseccomp refused a call; the message names it. The policy compiler reports it as a
 * {@code SeccompException} of the seccomp API.
 */
public class LibseccompException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LibseccompException(String message) {
        super(message);
    }
}
