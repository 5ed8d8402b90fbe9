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
 * @param etcFiles files copied into the sandbox: path inside -> host file (passwd, hosts, ...)
 */
record LaunchCommand(
        Path launcher,
        PrivilegeMode mode,
        int uid,
        String cgroupMode,
        LanguageProfile profile,
        SandboxLimits limits,
        boolean network,
        Path seccompFile,
        Path statusFile,
        Path codeFile,
        Map<String, Path> etcFiles) {

    List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(launcher.toString());
        add(argv, "--status-file", statusFile.toString());
        add(argv, "--seccomp-file", seccompFile.toString());
        add(argv, "--copy-in", codeFile + ":" + profile.codePath());
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
        if (network) {
            argv.add("--network");
        }
        for (MountEntry m : profile.mounts()) {
            argv.addAll(m.launcherArguments());
        }
        for (Map.Entry<String, String> e : new TreeMap<>(profile.environment()).entrySet()) {
            add(argv, "--env", e.getKey() + "=" + e.getValue());
        }
        argv.add("--");
        argv.addAll(profile.commandLine());
        return argv;
    }

    private static void add(List<String> argv, String option, String value) {
        argv.add(option);
        argv.add(value);
    }
}
