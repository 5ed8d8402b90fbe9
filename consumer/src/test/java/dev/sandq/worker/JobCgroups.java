package dev.sandq.worker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The per-job cgroups ({@code sandq/job-<launcher pid>}, sandq's default cgroup parent) of given
 * launchers, in each cgroup hierarchy the launcher uses (v1 memory, pids, cpuacct; v2).
 */
final class JobCgroups {
    private static final List<Path> HIERARCHIES = List.of(Path.of("/sys/fs/cgroup/memory"),
            Path.of("/sys/fs/cgroup/pids"), Path.of("/sys/fs/cgroup/cpuacct"), Path.of("/sys/fs/cgroup"),
            Path.of("/sys/fs/cgroup/unified"));

    private JobCgroups() {
    }

    /** The job cgroups that exist now of any of {@code processes}. */
    static List<Path> of(List<ProcessHandle> processes) throws IOException {
        Set<String> names = processes.stream().map(p -> "job-" + p.pid()).collect(Collectors.toSet());
        List<Path> found = new ArrayList<>();
        for (Path h : HIERARCHIES) {
            Path parent = h.resolve("sandq");
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (DirectoryStream<Path> jobs = Files.newDirectoryStream(parent, "job-*")) {
                for (Path job : jobs) {
                    if (names.contains(job.getFileName().toString())) {
                        found.add(job);
                    }
                }
            }
        }
        return found;
    }

    static List<Path> existing(List<Path> cgroups) {
        return cgroups.stream().filter(Files::exists).toList();
    }

    static List<ProcessHandle> alive(List<ProcessHandle> processes) {
        return processes.stream().filter(ProcessHandle::isAlive).toList();
    }
}
