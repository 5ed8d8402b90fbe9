package dev.sandq.executor.internal;

import dev.sandq.executor.HostReport;
import dev.sandq.executor.HostReport.Check;
import dev.sandq.executor.Language;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.SandboxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads what this host's kernel allows, for `sandq doctor` and for choosing the privilege mode. */
public final class HostProbe {
    private final Path procRoot;
    private final Path cgroupRoot;

    public HostProbe() {
        this(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    HostProbe(Path procRoot, Path cgroupRoot) {
        this.procRoot = procRoot;
        this.cgroupRoot = cgroupRoot;
    }

    public HostReport probe(SandboxConfig config) {
        List<Check> checks = new ArrayList<>();
        long uid = effectiveUid();
        boolean root = uid == 0;
        checks.add(new Check("user", true, root ? "running as root: each slot runs as its own uid from "
                + config.firstSlotUid() : "running as uid " + uid + " (unprivileged)"));

        Optional<String> userns = userNamespacesBlocked();
        checks.add(new Check("user namespaces", userns.isEmpty(), userns.orElse("available")));

        boolean seccomp = readProc("self/status").contains("Seccomp:");
        checks.add(new Check("seccomp", seccomp, seccomp ? "seccomp filters supported" : "the kernel has no seccomp"));

        checks.add(new Check("cgroups", true, cgroupDescription(root) + migrationCost()));

        for (Language language : Language.values()) {
            Path interpreter = config.interpreters().get(language);
            boolean ok = interpreter != null && Files.isExecutable(interpreter);
            checks.add(new Check(language.wireName(), ok, ok ? interpreter.toString()
                    : "interpreter " + interpreter + " not found or not executable"));
        }

        checks.add(new Check("network", true, networkDescription(config)));

        PrivilegeMode mode = chooseMode(config.privilegeMode(), root, userns.isEmpty());
        if (!seccomp) {
            mode = null;
        }
        checks.add(new Check("privilege mode", mode != null, mode != null ? mode.name().toLowerCase()
                : "none works: " + whyNoMode(config.privilegeMode(), root, userns)));
        return new HostReport(checks, mode);
    }

    /** Whether jobs may use the network, and if so by which path and to where. */
    static String networkDescription(SandboxConfig config) {
        if (!config.networkAllowed()) {
            return "not allowed: jobs with enable_network are rejected (--allow-network allows them); "
                    + "every job has its own empty network namespace"
                    + config.egressProxy().map(p -> " (--egress-proxy " + p + " is unused)").orElse("");
        }
        String out = config.egressProxy()
                .map(p -> "then goes out through the upstream proxy " + p + " (CONNECT to the checked address, for "
                        + "plain HTTP too; the upstream's own address is never a job's destination)")
                .orElse("then connects to that address itself");
        return "allowed, only through the worker's egress proxy: the job's own network namespace has just "
                + "loopback, where the launcher relays 127.0.0.1:3128 (HTTP_PROXY/HTTPS_PROXY) to the proxy's "
                + "UNIX socket; the proxy does HTTP CONNECT and absolute-URI HTTP, resolves names itself, checks "
                + "every address and " + out + ". " + config.egress().describe()
                + "; raw and packet sockets stay denied (seccomp)";
    }

    private static PrivilegeMode chooseMode(PrivilegeMode wanted, boolean root, boolean usernsOk) {
        return switch (wanted) {
            case ROOT -> root ? PrivilegeMode.ROOT : null;
            case USERNS -> usernsOk ? PrivilegeMode.USERNS : null;
            case AUTO -> root ? PrivilegeMode.ROOT : usernsOk ? PrivilegeMode.USERNS : null;
        };
    }

    private static String whyNoMode(PrivilegeMode wanted, boolean root, Optional<String> userns) {
        if (wanted == PrivilegeMode.ROOT && !root) {
            return "privilege mode root needs the worker to run as root";
        }
        return "not root, and user namespaces are unavailable (" + userns.orElse("?") + ")";
    }

    private Optional<String> userNamespacesBlocked() {
        String max = readProc("sys/user/max_user_namespaces").strip();
        if (max.equals("0")) {
            return Optional.of("user.max_user_namespaces is 0");
        }
        String clone = readProc("sys/kernel/unprivileged_userns_clone").strip();
        if (clone.equals("0")) {
            return Optional.of("kernel.unprivileged_userns_clone is 0");
        }
        String apparmor = readProc("sys/kernel/apparmor_restrict_unprivileged_userns").strip();
        if (apparmor.equals("1")) {
            return Optional.of("kernel.apparmor_restrict_unprivileged_userns is 1");
        }
        return Optional.empty();
    }

    private String cgroupDescription(boolean root) {
        Path unified = cgroupRoot.resolve("cgroup.controllers");
        if (Files.isReadable(unified)) {
            String controllers = readFile(unified);
            boolean writable = Files.isWritable(cgroupRoot);
            return "cgroup v2 (controllers: " + controllers.strip() + ")" + (writable ? "" : ", not writable: rlimits only");
        }
        boolean v1 = Files.isDirectory(cgroupRoot.resolve("memory")) && Files.isDirectory(cgroupRoot.resolve("pids"));
        if (v1) {
            boolean writable = Files.isWritable(cgroupRoot.resolve("memory"));
            return "cgroup v1 (memory, pids, cpuacct)" + (writable ? "" : ", not writable by this user: memory limited by RLIMIT_DATA");
        }
        return "no usable cgroup hierarchy: memory limited by RLIMIT_DATA, CPU by RLIMIT_CPU per process";
    }

    /**
     * Moving a process into a cgroup takes a global lock whose write side waits for an RCU grace
     * period (~15 ms per job here) unless a hierarchy is mounted with favordynmods (Linux >= 6.0).
     */
    private String migrationCost() {
        String mounts = readProc("self/mounts");
        boolean cgroups = mounts.lines().anyMatch(l -> l.contains(" cgroup ") || l.contains(" cgroup2 "));
        boolean fast = mounts.lines().anyMatch(l -> (l.contains(" cgroup ") || l.contains(" cgroup2 "))
                && l.contains("favordynmods"));
        if (!cgroups || fast) {
            return "";
        }
        return "; no hierarchy is mounted with favordynmods, so putting each job in its cgroup costs an RCU"
                + " grace period (about 15 ms): as root, `mount -o remount,favordynmods <a cgroup mount>` removes it";
    }

    private long effectiveUid() {
        for (String line : readProc("self/status").split("\n")) {
            if (line.startsWith("Uid:")) {
                return Long.parseLong(line.split("\\s+")[2]);
            }
        }
        throw new IllegalStateException("no Uid line in " + procRoot.resolve("self/status"));
    }

    private String readProc(String relative) {
        return readFile(procRoot.resolve(relative));
    }

    private static String readFile(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            return "";
        }
    }
}
