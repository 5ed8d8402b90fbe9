package dev.sandq.executor;

/**
 * The sandbox on this host: one launcher process per job. (Being written: the signature is the
 * contract the CLI and the worker code against.)
 */
public final class LocalSandbox {
    private LocalSandbox() {
    }

    /** Checks the host and builds a sandbox, or says what is missing. */
    public static Sandbox create(SandboxConfig config) throws SandboxUnavailableException {
        throw new SandboxUnavailableException("LocalSandbox is not written yet");
    }
}
