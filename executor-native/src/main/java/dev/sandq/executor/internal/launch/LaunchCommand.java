package dev.sandq.executor.internal.launch;

import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.executor.internal.assets.LanguageProfile;
import dev.sandq.executor.internal.assets.MountEntry;
import dev.sandq.executor.internal.assets.PrestartBootstrap;
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
 * @param zygoteSocket for a prestarted sandbox whose interpreter is forked by a zygote
 *                 (PythonZygote, ZYGOTE.md): its socket; null for an execve
 */
public record LaunchCommand(
        Path launcher,
        PrivilegeMode mode,
        int uid,
        String cgroupMode,
        String cgroupParent,
        LanguageProfile profile,
        SandboxLimits limits,
        Path egressSocket,
        Path seccompFile,
        Path statusFile,
        Path codeFile,
        Map<String, Path> etcFiles,
        Path bootstrapDir,
        Path zygoteSocket) {

    public LaunchCommand {
        String codeName = Path.of(profile.codePath()).getFileName().toString();
        if (bootstrapDir != null && !codeFile.getFileName().toString().equals(codeName)) {
            throw new IllegalArgumentException("a prestarted sandbox's code file must be named " + codeName
                    + ", got " + codeFile);
        }
        if (zygoteSocket != null && bootstrapDir == null) {
            throw new IllegalArgumentException("only a prestarted sandbox's interpreter comes from a zygote");
        }
    }

    /** The same launch, its interpreter forked by the zygote listening on {@code socket}. */
    public LaunchCommand viaZygote(Path socket) {
        return new LaunchCommand(launcher, mode, uid, cgroupMode, cgroupParent, profile, limits, egressSocket, seccompFile,
                statusFile, codeFile, etcFiles, bootstrapDir, socket);
    }

    /** The same launch, its status written to {@code status}. */
    public LaunchCommand withStatusFile(Path status) {
        return new LaunchCommand(launcher, mode, uid, cgroupMode, cgroupParent, profile, limits, egressSocket, seccompFile,
                status, codeFile, etcFiles, bootstrapDir, zygoteSocket);
    }

    /** Where a zygote's view binds the launcher's library (ZYGOTE.md). */
    public static final String ZYGOTE_LIBRARY_INSIDE = "/run/sandq/libsandq-launcher.so";

    /**
     * The command that starts a zygote for launches like this one: the launcher builds this
     * launch's root, in a mount namespace of the zygote's own, and execs the interpreter with
     * this launch's options and environment, running {@code zygoteSource} (ZYGOTE.md).
     */
    public List<String> zygoteArgv(Path socket, Path library, String zygoteSource) {
        if (!prestarted() || zygoteSocket != null) {
            throw new IllegalStateException("a zygote is started from a prestarted launch's command");
        }
        List<String> launch = argv();
        List<String> argv = new ArrayList<>();
        argv.add(launch.get(0));
        add(argv, "--zygote-serve", socket.toString());
        int dashDash = launch.indexOf("--");
        argv.addAll(launch.subList(1, dashDash));
        add(argv, "--ro-bind", library + ":" + ZYGOTE_LIBRARY_INSIDE);
        argv.add("--");
        List<String> program = profile.prestartCommandLine();
        argv.addAll(program.subList(0, program.indexOf("-c")));
        argv.add("-c");
        argv.add(zygoteSource);
        argv.add(ZYGOTE_LIBRARY_INSIDE);
        return argv;
    }

    /** Whether this starts a prestarted sandbox. */
    boolean prestarted() {
        return bootstrapDir != null;
    }

    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(launcher.toString());
        if (zygoteSocket != null) {
            add(argv, "--zygote", zygoteSocket.toString());
        }
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
        add(argv, "--cgroup-parent", cgroupParent);
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
