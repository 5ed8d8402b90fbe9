package dev.sandq.executor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job cgroups of launchers that died, found in every cgroup hierarchy of a mountinfo (directories stand for cgroups). */
@Fast
class StaleCgroupsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @TempDir
    Path dir;

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return p.pid();
    }

    private Path cgroup(Path hierarchy, String name, Instant modified) throws Exception {
        Path job = Files.createDirectories(hierarchy.resolve("sandq").resolve(name));
        Files.setLastModifiedTime(job, FileTime.from(modified));
        return job;
    }

    private Path mountinfo(Path... hierarchies) throws Exception {
        StringBuilder text = new StringBuilder("22 1 0:21 / /proc rw,nosuid - proc proc rw\n");
        int id = 30;
        for (Path h : hierarchies) {
            text.append(id++).append(" 25 0:").append(id).append(" / ").append(h)
                    .append(" rw,relatime shared:9 - cgroup cgroup rw,memory\n");
        }
        return Files.writeString(dir.resolve("mountinfo"), text);
    }

    @Test
    void removesTheCgroupsOfDeadLaunchersInEveryHierarchyAndKeepsTheRest() throws Exception {
        Path memory = Files.createDirectories(dir.resolve("memory"));
        Path pids = Files.createDirectories(dir.resolve("pids"));
        long dead = deadPid();
        long alive = ProcessHandle.current().pid();
        Instant old = NOW.minusSeconds(60);
        Path deadInMemory = cgroup(memory, "job-" + dead, old);
        Path deadInPids = cgroup(pids, "job-" + dead, old);
        Path live = cgroup(memory, "job-" + alive, old);
        Path young = cgroup(pids, "job-" + deadPid(), NOW.minusMillis(500));
        Path busy = cgroup(pids, "job-" + deadPid(), old);
        Files.writeString(busy.resolve("cgroup.procs"), "4242\n");
        Path other = cgroup(memory, "not-a-job", old);

        List<Path> removed = StaleCgroups.remove(mountinfo(memory, pids), "sandq", Clock.fixed(NOW, ZoneOffset.UTC));

        assertEquals(Set.of(deadInMemory, deadInPids), Set.copyOf(removed));
        assertFalse(Files.exists(deadInMemory));
        assertFalse(Files.exists(deadInPids));
        assertTrue(Files.exists(live), "its launcher is alive");
        assertTrue(Files.exists(young), "it may be a launcher of another PID namespace setting its job up");
        assertTrue(Files.exists(busy), "a process is still in it");
        assertTrue(Files.exists(other), "not a job's cgroup");
    }

    @Test
    void findsTheCgroupHierarchiesOfAMountinfoAndNothingElse() throws Exception {
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), String.join("\n",
                "22 1 0:21 / /proc rw,nosuid - proc proc rw",
                "30 25 0:26 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory",
                "31 25 0:27 / /sys/fs/cgroup/unified rw,relatime shared:10 - cgroup2 cgroup2 rw",
                "32 25 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755", ""));
        assertEquals(List.of(Path.of("/sys/fs/cgroup/memory"), Path.of("/sys/fs/cgroup/unified")),
                List.copyOf(StaleCgroups.hierarchies(mountinfo)));
    }
}
