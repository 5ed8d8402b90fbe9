package dev.sandq.deps;

/** The operator's dependency file is missing or invalid (a usage error, not a tool failure). */
public final class DependencyFileException extends DependencyInstallException {
    public DependencyFileException(String message) {
        super(message);
    }

    public DependencyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
