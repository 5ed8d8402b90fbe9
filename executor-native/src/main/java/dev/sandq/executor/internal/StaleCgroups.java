package dev.sandq.executor.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-job cgroups of launchers that died without removing them: a worker killed with SIGKILL
 * takes its launchers along, and their {@code PARENT/job-<launcher pid>} directories stay, one in
 * each hierarchy (v1 memory, pids and cpuacct; or v2). Removed when the next sandbox starts, as
 * {@code slots/StaleWorkspaces} removes dead workers' workspaces.
 *
 * <p>One is stale when no process with its launcher's pid is alive, no process is in it (rmdir
 * refuses a cgroup that has one), and it is older than {@link #SETUP_WINDOW}: a launcher of
 * another PID namespace sharing the hierarchy (its pid unknown here) is between its mkdir and
 * attaching its job for milliseconds only. A reused pid only keeps a stale cgroup longer.
 */
public final class StaleCgroups {
    private static final Logger LOG = LoggerFactory.getLogger(StaleCgroups.class);
    /** Older than this, an empty job cgroup is never one being set up. */
    static final Duration SETUP_WINDOW = Duration.ofSeconds(2);
    private static final Pattern JOB = Pattern.compile("job-(\\d+)");

    private StaleCgroups() {
    }

    /** Removes the stale job cgroups under {@code parent} in every cgroup hierarchy this process sees. */
    public static List<Path> remove(String parent) {
        return remove(Path.of("/proc/self/mountinfo"), parent, Clock.systemUTC());
    }

    static List<Path> remove(Path mountinfo, String parent, Clock clock) {
        List<Path> removed = new ArrayList<>();
        for (Path hierarchy : hierarchies(mountinfo)) {
            Path dir = hierarchy.resolve(parent);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (DirectoryStream<Path> jobs = Files.newDirectoryStream(dir, "job-*")) {
                for (Path job : jobs) {
                    if (stale(job, clock)) {
                        try {
                            Files.delete(job); // rmdir: a cgroup's files are not removable, the directory is
                            removed.add(job);
                        } catch (IOException e) {
                            LOG.warn("cannot remove the cgroup {} of a launcher that is gone: {}", job, e.toString());
                        }
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot look for stale job cgroups in {}: {}", dir, e.toString());
            }
        }
        if (!removed.isEmpty()) {
            LOG.info("removed {} job cgroup(s) of launchers that died without cleaning up: {}", removed.size(), removed);
        }
        return removed;
    }

    private static boolean stale(Path job, Clock clock) throws IOException {
        Matcher m = JOB.matcher(job.getFileName().toString());
        if (!m.matches() || !Files.isDirectory(job, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        FileTime modified = Files.getLastModifiedTime(job, LinkOption.NOFOLLOW_LINKS);
        if (modified.toInstant().plus(SETUP_WINDOW).isAfter(clock.instant())) {
            return false;
        }
        Path procs = job.resolve("cgroup.procs");
        return !Files.exists(procs) || Files.readString(procs).isBlank();
    }

    /** The mount points of the cgroup (v1) and cgroup2 file systems in {@code mountinfo}. */
    static Set<Path> hierarchies(Path mountinfo) {
        Set<Path> found = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(mountinfo)) {
                int dash = line.indexOf(" - ");
                if (dash < 0) {
                    continue;
                }
                String[] before = line.substring(0, dash).split(" ");
                String[] after = line.substring(dash + 3).split(" ");
                if (before.length > 4 && after.length > 0
                        && (after[0].equals("cgroup") || after[0].equals("cgroup2"))) {
                    found.add(Path.of(unescape(before[4])));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", mountinfo, e.toString());
        }
        return found;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
