package dev.sandq.deps;

/** Installing a language's packages failed; what jobs see is unchanged. The message says why. */
public class DependencyInstallException extends Exception {
    public DependencyInstallException(String message) {
        super(message);
    }

    public DependencyInstallException(String message, Throwable cause) {
        super(message, cause);
    }
}
