package dev.sandq.executor.local;

import dev.sandq.executor.HostReport;
import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.Result;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxUnavailableException;
import dev.sandq.executor.Status;
import dev.sandq.executor.internal.HostProbe;
import dev.sandq.executor.internal.ProcessSandbox;
import dev.sandq.executor.internal.assets.SeccompProgramSource;
import dev.sandq.executor.seccomp.SeccompPolicies;
import java.util.List;

/**
 * The sandbox on this host, one launcher process per job (executor-native/LAUNCHER.md): builds
 * the implementation behind the {@link Sandbox} API, and reports what the host allows.
 */
public final class LocalSandbox {
    private LocalSandbox() {
    }

    /**
     * Checks the host, compiles the seccomp policies, and proves the whole chain with one trivial
     * job; or says what is missing. Never returns a sandbox that would run code unsandboxed.
     */
    public static Sandbox create(SandboxConfig config) throws SandboxUnavailableException {
        HostReport report = probeHost(config);
        if (!report.canIsolate()) {
            throw new SandboxUnavailableException("this host cannot isolate jobs: " + report.missing());
        }
        SeccompProgramSource seccomp = (language, network) -> SeccompPolicies
                .load(language, network, config.extraSyscalls().getOrDefault(language, List.of()))
                .compileBpf();
        ProcessSandbox sandbox = new ProcessSandbox(config, report.effectiveMode(), seccomp);
        selfTest(sandbox);
        return sandbox;
    }

    /** What this host allows for {@code config} (`sandq doctor`), and the privilege mode jobs would use. */
    public static HostReport probeHost(SandboxConfig config) {
        return new HostProbe().probe(config);
    }

    private static void selfTest(ProcessSandbox sandbox) throws SandboxUnavailableException {
        Result r;
        try {
            r = sandbox.run(Job.of(Language.PYTHON3, "pass\n"));
        } catch (InterruptedException e) {
            sandbox.close();
            Thread.currentThread().interrupt();
            throw new SandboxUnavailableException("interrupted during the sandbox self-test", e);
        }
        if (r.status() != Status.OK) {
            sandbox.close();
            throw new SandboxUnavailableException("the sandbox self-test (python3 'pass' in privilege mode "
                    + sandbox.privilegeMode().name().toLowerCase() + ") ended " + r.status().wireName() + ": "
                    + (r.error() == null ? "" : r.error()) + (r.stderr().isBlank() ? "" : " stderr: " + r.stderr().strip()));
        }
    }
}
