package dev.sandq.executor;

/**
 * This host cannot isolate jobs as configured (no user namespaces and not root, launcher
 * missing, seccomp unsupported, ...). The message says what is missing. sandq never falls back
 * to running code unsandboxed.
 */
public final class SandboxUnavailableException extends Exception {
    public SandboxUnavailableException(String message) {
        super(message);
    }

    public SandboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
