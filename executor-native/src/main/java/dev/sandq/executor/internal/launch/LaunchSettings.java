package dev.sandq.executor.internal.launch;

import dev.sandq.executor.Language;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.executor.internal.assets.LanguageProfile;
import dev.sandq.executor.internal.assets.MountEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What every kind of {@link Launch} is given (executor-native/LAUNCHER.md).
 *
 * @param launcher     the launcher binary
 * @param mode         root (the job runs as {@code uid}) or user namespaces
 * @param uid          the slot's uid and gid in root mode
 * @param cgroupMode   auto, v1, v2 or none
 * @param cgroupParent the cgroup under which the job's own is made
 * @param profile      what the sandbox contains and runs
 * @param limits       the job's limits
 * @param seccompFile  the compiled seccomp program
 * @param statusFile   where the launcher writes its status line
 * @param etcFiles     files copied into the sandbox: path inside -> host file (passwd, hosts, ...)
 * @param filesOut     where the launcher copies the job's output files, and within what; empty: they are not
 */
public record LaunchSettings(
        Path launcher,
        PrivilegeMode mode,
        int uid,
        String cgroupMode,
        String cgroupParent,
        LanguageProfile profile,
        SandboxLimits limits,
        Path seccompFile,
        Path statusFile,
        Map<String, Path> etcFiles,
        Optional<FilesOut> filesOut) {

    /** Where the launcher's relay listens inside a job with the network (egress.c). */
    static final String PROXY_URL = "http://127.0.0.1:3128";

    public LaunchSettings {
        Objects.requireNonNull(launcher, "launcher");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(cgroupMode, "cgroupMode");
        Objects.requireNonNull(cgroupParent, "cgroupParent");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(seccompFile, "seccompFile");
        Objects.requireNonNull(statusFile, "statusFile");
        etcFiles = Map.copyOf(etcFiles);
        Objects.requireNonNull(filesOut, "filesOut");
    }

    /** Settings whose job's output files are not collected. */
    public LaunchSettings(Path launcher, PrivilegeMode mode, int uid, String cgroupMode, String cgroupParent,
                          LanguageProfile profile, SandboxLimits limits, Path seccompFile, Path statusFile,
                          Map<String, Path> etcFiles) {
        this(launcher, mode, uid, cgroupMode, cgroupParent, profile, limits, seccompFile, statusFile, etcFiles,
                Optional.empty());
    }

    /**
     * Where the launcher copies a job's output files ({@code --files-out}, outputs.c), and the most
     * it copies: more files, or more bytes together, are left out and flagged.
     */
    public record FilesOut(Path file, int maxFiles, long maxBytes) {
        public FilesOut {
            Objects.requireNonNull(file, "file");
        }
    }

    /** The same settings, the status written to {@code status}, no output files collected (a zygote's). */
    LaunchSettings withStatusFile(Path status) {
        return new LaunchSettings(launcher, mode, uid, cgroupMode, cgroupParent, profile, limits, seccompFile, status,
                etcFiles, Optional.empty());
    }

    /**
     * The options that build the sandbox, from {@code --status-file} to the last {@code --env}:
     * every launch's, with the kind's own in their places.
     *
     * @param codeOptions  how the job's code gets into the sandbox
     * @param egressSocket the egress proxy's socket, for a job with the network
     */
    List<String> sandboxOptions(List<String> codeOptions, Optional<Path> egressSocket) {
        List<String> options = new ArrayList<>();
        add(options, "--status-file", statusFile.toString());
        add(options, "--seccomp-file", seccompFile.toString());
        options.addAll(codeOptions);
        for (Map.Entry<String, Path> e : new TreeMap<>(etcFiles).entrySet()) {
            add(options, "--copy-in", e.getValue() + ":" + e.getKey());
        }
        if (mode == PrivilegeMode.USERNS) {
            options.add("--userns");
        } else {
            add(options, "--uid", Integer.toString(uid));
            add(options, "--gid", Integer.toString(uid));
        }
        add(options, "--cgroup", cgroupMode);
        add(options, "--cgroup-parent", cgroupParent);
        add(options, "--wall-ms", Long.toString(limits.wallTimeMs()));
        add(options, "--cpu-ms", Long.toString(limits.cpuTimeMs()));
        add(options, "--memory-bytes", Long.toString(limits.memoryBytes()));
        add(options, "--processes", Long.toString(limits.maxProcesses()));
        add(options, "--file-bytes", Long.toString(limits.maxFileBytes()));
        add(options, "--open-files", Long.toString(limits.maxOpenFiles()));
        add(options, "--tmp-size", Long.toString(limits.tmpSizeBytes()));
        add(options, "--output-dir", LanguageProfile.OUTPUT_DIR);
        filesOut.ifPresent(out -> {
            add(options, "--files-out", out.file().toString());
            add(options, "--output-max-files", Integer.toString(out.maxFiles()));
            add(options, "--output-max-bytes", Long.toString(out.maxBytes()));
        });
        egressSocket.ifPresent(socket -> add(options, "--egress-socket", socket.toString()));
        for (MountEntry m : profile.mounts()) {
            options.addAll(m.launcherArguments());
        }
        for (Map.Entry<String, String> e : environment(egressSocket.isPresent()).entrySet()) {
            add(options, "--env", e.getKey() + "=" + e.getValue());
        }
        return options;
    }

    /**
     * The profile's environment; with the network, plus the proxy variables that HTTP clients
     * read (Python's urllib and requests, curl-likes; Node >= 24 with NODE_USE_ENV_PROXY). They
     * point at the relay on the job's own loopback; NO_PROXY is left unset on purpose.
     */
    private Map<String, String> environment(boolean network) {
        Map<String, String> env = new TreeMap<>(profile.environment());
        if (network) {
            for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
                env.put(name, PROXY_URL);
            }
            if (profile.language() == Language.NODEJS) {
                env.put("NODE_USE_ENV_PROXY", "1");
            }
        }
        return env;
    }

    /** {@code launcher PREFIX... OPTIONS... -- PROGRAM...}: the shape of every launcher command line. */
    List<String> commandLine(List<String> prefix, List<String> options, List<String> program) {
        List<String> argv = new ArrayList<>();
        argv.add(launcher.toString());
        argv.addAll(prefix);
        argv.addAll(options);
        argv.add("--");
        argv.addAll(program);
        return argv;
    }

    static void add(List<String> argv, String option, String value) {
        argv.add(option);
        argv.add(value);
    }
}
