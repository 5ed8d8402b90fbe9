package dev.sandq.executor.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a finished job may have left on the host: processes running as a slot uid (in privilege
 * mode userns: as the worker's own uid, this JVM excepted), and per-job cgroups
 * ({@code job-<launcher pid>}) under the sandbox's cgroup parent in the v1 memory, pids and
 * cpuacct hierarchies (and the v2 one when present). Shared test helper: any test that runs jobs
 * can ask it, after {@code Sandbox.run} has returned, whether anything survived.
 *
 * <p>It judges only what its own test started: the test gives its sandbox slot uids and a cgroup
 * parent that no one else on the host uses ({@code FreshIds}), so another sandq worker or test
 * run on the same host, jobs and all, is invisible here. A process of a finished job of ours is
 * reported whatever its parentage: reparented to the host's init, to a subreaper, or still in a
 * namespace whose init somehow survived.
 */
final class JobLeftovers {
    private static final Path PROC = Path.of("/proc");
    /** The hierarchies the launcher makes job cgroups in (v1 memory, pids, cpuacct; v2 mounted either way). */
    private static final List<Path> HIERARCHIES = List.of(
            Path.of("/sys/fs/cgroup/memory"),
            Path.of("/sys/fs/cgroup/pids"),
            Path.of("/sys/fs/cgroup/cpuacct"),
            Path.of("/sys/fs/cgroup"),
            Path.of("/sys/fs/cgroup/unified"));

    private final int firstUid;
    private final int uidCount;
    private final List<Path> cgroupParents;
    private final String cgroupParent;
    private final Supplier<Set<Long>> prestartedLaunchers;

    /**
     * @param cgroupParent        the sandbox's cgroup parent (SandboxConfig.cgroupParent)
     * @param prestartedLaunchers the launchers of our sandbox's prestarted sandboxes: their
     *                            processes wait for the next job, and are not a finished job's
     */
    JobLeftovers(int firstUid, int uidCount, String cgroupParent, Supplier<Set<Long>> prestartedLaunchers) {
        this.firstUid = firstUid;
        this.uidCount = uidCount;
        this.cgroupParents = HIERARCHIES.stream().map(h -> h.resolve(cgroupParent)).toList();
        this.cgroupParent = cgroupParent;
        this.prestartedLaunchers = prestartedLaunchers;
    }

    /** One process as /proc/PID/status tells it. */
    record Proc(long pid, long ppid, int uid, String name) {
        @Override
        public String toString() {
            return "pid " + pid + " (" + name + ", uid " + uid + ", ppid " + ppid + ")";
        }
    }

    /** Processes of a slot uid but our prestarted sandboxes'. */
    List<Proc> strayProcesses() {
        Map<Long, Proc> table = processTable();
        long self = ProcessHandle.current().pid();
        Set<Long> prestarted = prestartedLaunchers.get();
        return table.values().stream()
                .filter(p -> p.uid() >= firstUid && p.uid() < firstUid + uidCount)
                .filter(p -> p.pid() != self) // in userns mode the test's own JVM runs as the jobs' host uid
                .filter(Predicate.not(p -> prestarted.contains(p.pid()) || hasAncestorIn(p, prestarted, table)
                        || inJobCgroupOf(p, prestarted)))
                .sorted((a, b) -> Long.compare(a.pid(), b.pid()))
                .toList();
    }

    /** Per-job cgroup directories whose launcher is no longer alive. */
    List<Path> strayCgroups() {
        List<Path> stray = new ArrayList<>();
        for (Path parent : cgroupParents) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, "job-*")) {
                for (Path dir : dirs) {
                    Optional<Long> launcher = parsePid(dir.getFileName().toString().substring("job-".length()));
                    boolean alive = launcher.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
                    if (!alive) {
                        stray.add(dir);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("listing " + parent, e);
            }
        }
        return stray;
    }

    /** A one-line account of both, or empty when nothing is left. */
    String describe() {
        List<Proc> procs = strayProcesses();
        List<Path> cgroups = strayCgroups();
        if (procs.isEmpty() && cgroups.isEmpty()) {
            return "";
        }
        return "left behind: processes " + procs.stream().map(p -> p + " " + cmdline(p.pid()))
                .collect(Collectors.joining(", ", "[", "]")) + ", cgroups " + cgroups;
    }

    /**
     * Whether {@code p} is in the job cgroup of one of {@code launchers}: a prestarted sandbox
     * whose interpreter the Python zygote forked hangs below the zygote, not below its launcher
     * (the zygote's stub), but its cgroup is named after the launcher (ZYGOTE.md).
     */
    private boolean inJobCgroupOf(Proc p, Set<Long> launchers) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(p.pid())).resolve("cgroup"))) {
                for (long launcher : launchers) {
                    if (line.endsWith("/" + cgroupParent + "/job-" + launcher)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (NoSuchFileException e) {
            return true; // gone since the process table was read: not left behind
        } catch (IOException e) {
            throw new IllegalStateException("reading the cgroups of pid " + p.pid(), e);
        }
    }

    private static boolean hasAncestorIn(Proc p, Set<Long> ancestors, Map<Long, Proc> table) {
        Set<Long> seen = new java.util.HashSet<>();
        for (Proc q = table.get(p.ppid()); q != null && seen.add(q.pid()); q = table.get(q.ppid())) {
            if (ancestors.contains(q.pid())) {
                return true;
            }
        }
        return false;
    }

    private static Map<Long, Proc> processTable() {
        Map<Long, Proc> table = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                readStatus(entry).ifPresent(p -> table.put(p.pid(), p));
            }
        } catch (IOException e) {
            throw new IllegalStateException("listing /proc", e);
        }
        return table;
    }

    private static Optional<Proc> readStatus(Path dir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // exited while we looked
        } catch (IOException e) {
            if (!Files.exists(dir)) {
                return Optional.empty();
            }
            throw new IllegalStateException("reading " + dir + "/status", e);
        }
        String name = "?";
        long pid = -1;
        long ppid = -1;
        int uid = -1;
        for (String line : lines) {
            String[] f = line.split("\\s+");
            switch (f[0]) {
                case "Name:" -> name = f.length > 1 ? f[1] : "";
                case "Pid:" -> pid = Long.parseLong(f[1]);
                case "PPid:" -> ppid = Long.parseLong(f[1]);
                case "Uid:" -> uid = Integer.parseInt(f[1]); // real uid; the job never changes it
                default -> {
                }
            }
        }
        return pid < 0 ? Optional.empty() : Optional.of(new Proc(pid, ppid, uid, name));
    }

    private static String cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            return "'" + new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip() + "'";
        } catch (IOException e) {
            return "'?'";
        }
    }

    /**
     * Removes the test's cgroup parents, once every job is over; one that still holds a job's
     * cgroup fails, naming it.
     */
    void removeCgroupParents() throws IOException {
        for (Path parent : cgroupParents) {
            Files.deleteIfExists(parent);
        }
    }

    private static Optional<Long> parsePid(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
