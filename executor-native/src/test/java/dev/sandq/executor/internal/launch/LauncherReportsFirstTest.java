package dev.sandq.executor.internal.launch;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.seccomp.SeccompPolicies;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher writes its status line, then lets go of the caller's pipes, and only then cleans up:
 * the caller may take the end of the job's output as the end of the job. A failure of the clean-up
 * is not lost: it follows the status line in the status file, and the exit code is 1.
 */
@Slow
@Timeout(60)
class LauncherReportsFirstTest {
    private static final List<Path> CGROUP_PARENTS = List.of(
            Path.of("/sys/fs/cgroup/pids/sandq"), Path.of("/sys/fs/cgroup/sandq"), Path.of("/sys/fs/cgroup/unified/sandq"));

    private static final List<Path> ALL_CGROUP_PARENTS = List.of(
            Path.of("/sys/fs/cgroup/memory/sandq"), Path.of("/sys/fs/cgroup/pids/sandq"),
            Path.of("/sys/fs/cgroup/cpuacct/sandq"), Path.of("/sys/fs/cgroup/sandq"), Path.of("/sys/fs/cgroup/unified/sandq"));

    @TempDir
    Path dir;

    private Process launch(String code) throws IOException {
        Path bpf = dir.resolve("policy.bpf");
        Files.write(bpf, SeccompPolicies.load(Language.PYTHON3, false, List.of()).compileBpf());
        List<String> argv = new ArrayList<>(List.of(System.getProperty("sandq.launcher"),
                "--status-file", status().toString(), "--seccomp-file", bpf.toString(),
                "--uid", "61000", "--gid", "61000", "--wall-ms", "5000", "--cgroup", "auto",
                "--ro-bind", "/usr:/usr", "--symlink", "usr/lib:/lib", "--symlink", "usr/lib64:/lib64",
                "--", "/usr/bin/python3", "-c", code));
        return new ProcessBuilder(argv).start();
    }

    private Path status() {
        return dir.resolve("status.json");
    }

    @Test
    void theStatusLineIsWrittenBeforeTheOutputEnds() throws Exception {
        Process p = launch("print('out')");
        String stdout = new String(p.getInputStream().readAllBytes());
        String stderr = new String(p.getErrorStream().readAllBytes());
        String atEndOfOutput = Files.readString(status());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the launcher exits after its clean-up");
        assertAll(
                () -> assertEquals("out\n", stdout),
                () -> assertEquals("", stderr),
                () -> assertTrue(atEndOfOutput.endsWith("}\n"), "a whole status line at the end of the output: " + atEndOfOutput),
                () -> assertEquals(0, LauncherStatus.parse(atEndOfOutput.strip()).exitCode()),
                () -> assertEquals(0, p.exitValue()),
                () -> assertEquals(atEndOfOutput, Files.readString(status()), "nothing follows the status line"));
    }

    /** A child cgroup, made while the job runs, keeps the launcher from removing the job's cgroup. */
    @Test
    void aCleanUpFailureFollowsTheStatusLineAndFailsTheExitCode() throws Exception {
        Process p = launch("import time\ntime.sleep(0.5)\nprint('done')");
        Path jobCgroup = awaitJobCgroup(p.pid());
        Path blocker = Files.createDirectory(jobCgroup.resolve("blocker"));
        try {
            String stdout = new String(p.getInputStream().readAllBytes());
            String atEndOfOutput = Files.readString(status());
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the launcher gives up on the cgroup and exits");
            List<String> lines = Files.readAllLines(status());
            List<Path> left = ALL_CGROUP_PARENTS.stream().map(parent -> parent.resolve(jobCgroup.getFileName()))
                    .filter(Files::isDirectory).toList();
            assertAll(
                    () -> assertEquals("done\n", stdout),
                    () -> assertEquals(0, LauncherStatus.parse(atEndOfOutput.strip()).exitCode(), atEndOfOutput),
                    () -> assertEquals(1, p.exitValue()),
                    () -> assertEquals(2, lines.size(), () -> "status line, then the failure: " + lines),
                    () -> assertTrue(lines.get(1).contains("rmdir cgroup " + jobCgroup), lines.get(1)),
                    () -> assertEquals(List.of(jobCgroup), left, "the job's cgroups in the other hierarchies are removed all the same"));
        } finally {
            Files.deleteIfExists(blocker);
            // Only the blocked one is left; the others, if the assertion above failed.
            for (Path parent : ALL_CGROUP_PARENTS) {
                Files.deleteIfExists(parent.resolve(jobCgroup.getFileName()));
            }
        }
        assertFalse(Files.exists(jobCgroup));
    }

    private static Path awaitJobCgroup(long launcherPid) {
        return Await.untilPresent(Duration.ofSeconds(5), Duration.ofMillis(10),
                () -> CGROUP_PARENTS.stream().map(parent -> parent.resolve("job-" + launcherPid))
                        .filter(Files::isDirectory).findFirst(),
                () -> "a cgroup job-" + launcherPid + " under one of " + CGROUP_PARENTS);
    }
}
