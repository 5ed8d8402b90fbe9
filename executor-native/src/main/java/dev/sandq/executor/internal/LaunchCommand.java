package dev.sandq.executor.internal;

import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.SandboxLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The launcher's command line for one job (executor-native/LAUNCHER.md).
 *
 * @param egressSocket the worker's egress proxy socket when the job has the network, else null
 * @param etcFiles files copied into the sandbox: path inside -> host file (passwd, hosts, ...)
 * @param codeFile the job's code on the host. Copied into the new root; for a prestarted sandbox,
 *                 which gets its code on stdin, its directory is bound read-only instead, so that
 *                 the code file the caller writes there once the job arrives is there as usual
 * @param bootstrapDir for a prestarted sandbox (LAUNCHER.md, --prestart): the host directory of
 *                 the bootstrap files (PrestartBootstrap), bound read-only; null for any other
 */
record LaunchCommand(
        Path launcher,
        PrivilegeMode mode,
        int uid,
        String cgroupMode,
        LanguageProfile profile,
        SandboxLimits limits,
        Path egressSocket,
        Path seccompFile,
        Path statusFile,
        Path codeFile,
        Map<String, Path> etcFiles,
        Path bootstrapDir) {

    LaunchCommand {
        String codeName = Path.of(profile.codePath()).getFileName().toString();
        if (bootstrapDir != null && !codeFile.getFileName().toString().equals(codeName)) {
            throw new IllegalArgumentException("a prestarted sandbox's code file must be named " + codeName
                    + ", got " + codeFile);
        }
    }

    /** Whether this starts a prestarted sandbox. */
    boolean prestarted() {
        return bootstrapDir != null;
    }

    List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(launcher.toString());
        add(argv, "--status-file", statusFile.toString());
        add(argv, "--seccomp-file", seccompFile.toString());
        if (prestarted()) {
            argv.add("--prestart");
            add(argv, "--ro-bind", codeFile.getParent() + ":" + Path.of(profile.codePath()).getParent());
            add(argv, "--ro-bind", bootstrapDir + ":" + PrestartBootstrap.DIR_INSIDE);
        } else {
            add(argv, "--copy-in", codeFile + ":" + profile.codePath());
        }
        for (Map.Entry<String, Path> e : new TreeMap<>(etcFiles).entrySet()) {
            add(argv, "--copy-in", e.getValue() + ":" + e.getKey());
        }
        if (mode == PrivilegeMode.USERNS) {
            argv.add("--userns");
        } else {
            add(argv, "--uid", Integer.toString(uid));
            add(argv, "--gid", Integer.toString(uid));
        }
        add(argv, "--cgroup", cgroupMode);
        add(argv, "--wall-ms", Long.toString(limits.wallTimeMs()));
        add(argv, "--cpu-ms", Long.toString(limits.cpuTimeMs()));
        add(argv, "--memory-bytes", Long.toString(limits.memoryBytes()));
        add(argv, "--processes", Long.toString(limits.maxProcesses()));
        add(argv, "--file-bytes", Long.toString(limits.maxFileBytes()));
        add(argv, "--open-files", Long.toString(limits.maxOpenFiles()));
        add(argv, "--tmp-size", Long.toString(limits.tmpSizeBytes()));
        if (egressSocket != null) {
            add(argv, "--egress-socket", egressSocket.toString());
        }
        for (MountEntry m : profile.mounts()) {
            argv.addAll(m.launcherArguments());
        }
        for (Map.Entry<String, String> e : environment().entrySet()) {
            add(argv, "--env", e.getKey() + "=" + e.getValue());
        }
        argv.add("--");
        argv.addAll(prestarted() ? profile.prestartCommandLine() : profile.commandLine());
        return argv;
    }

    /**
     * The profile's environment; with the network, plus the proxy variables that HTTP clients
     * read (Python's urllib and requests, curl-likes; Node >= 24 with NODE_USE_ENV_PROXY). They
     * point at the relay on the job's own loopback; NO_PROXY is left unset on purpose.
     */
    private Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>(profile.environment());
        if (egressSocket != null) {
            for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
                env.put(name, PROXY_URL);
            }
            if (profile.language() == dev.sandq.executor.Language.NODEJS) {
                env.put("NODE_USE_ENV_PROXY", "1");
            }
        }
        return env;
    }

    /** Where the launcher's relay listens inside the job (egress.c). */
    static final String PROXY_URL = "http://127.0.0.1:3128";

    private static void add(List<String> argv, String option, String value) {
        argv.add(option);
        argv.add(value);
    }
}
