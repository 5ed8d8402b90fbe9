package dev.sandq.executor.seccomp;

/** libseccomp refused something while a policy was being compiled; the message names the call. */
public class SeccompException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SeccompException(String message) {
        super(message);
    }

    public SeccompException(String message, Throwable cause) {
        super(message, cause);
    }
}
