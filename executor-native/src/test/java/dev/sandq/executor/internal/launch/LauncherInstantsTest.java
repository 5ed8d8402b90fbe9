package dev.sandq.executor.internal.launch;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.seccomp.SeccompPolicies;
import dev.sandq.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status line's three instants (ready_ns, started_ns, exited_ns) come in that order and on
 * System.nanoTime()'s clock: all within the window in which this JVM started the launcher and saw
 * its output end, and about as far apart as the job made them (the launcher takes each when it
 * wakes up to it, which on a busy host may be late: the bounds below leave room for that).
 */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LauncherInstantsTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private Process launch(List<String> options, String code) throws IOException {
        Path bpf = dir.resolve("policy.bpf");
        Files.write(bpf, SeccompPolicies.load(Language.PYTHON3, false, List.of()).compileBpf());
        List<String> argv = new ArrayList<>(List.of(System.getProperty("sandq.launcher"),
                "--status-file", status().toString(), "--seccomp-file", bpf.toString(),
                "--uid", "61000", "--gid", "61000", "--wall-ms", "5000", "--cgroup", "auto",
                "--ro-bind", "/usr:/usr", "--symlink", "usr/lib:/lib", "--symlink", "usr/lib64:/lib64"));
        argv.addAll(options);
        argv.addAll(List.of("--", "/usr/bin/python3", "-c", code));
        return new ProcessBuilder(argv).start();
    }

    private Path status() {
        return dir.resolve("status.json");
    }

    /** Runs the launcher to the end of its output; the status line and the window around it. */
    private record Run(LauncherStatus status, long before, long after) {
    }

    private Run run(List<String> options, String code) throws Exception {
        long before = System.nanoTime();
        Process p = launch(options, code);
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        String stderr = new String(p.getErrorStream().readAllBytes());
        long after = System.nanoTime();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the launcher exits");
        String line = LauncherStatus.line(status()).orElseThrow(() -> new AssertionError("no status line; " + stderr));
        return new Run(LauncherStatus.parse(line), before, after);
    }

    @Test
    void aFreshLaunchReportsReadyStartedExitedInOrderWithinTheRun() throws Exception {
        Run run = run(List.of(), "import time\ntime.sleep(0.2)");
        LauncherStatus s = run.status();
        assertAll(
                () -> assertEquals(0, s.exitCode(), s.toString()),
                () -> assertNotNull(s.readyNs(), "ready_ns"),
                () -> assertNotNull(s.startedNs(), "started_ns"),
                () -> assertNotNull(s.exitedNs(), "exited_ns"));
        assertAll(
                () -> assertTrue(run.before() <= s.readyNs(), "launcher started before ready: " + run + " " + s),
                () -> assertTrue(s.readyNs() <= s.startedNs(), "ready <= started: " + s),
                () -> assertTrue(s.startedNs() + 100 * MS <= s.exitedNs(), "the job slept 200 ms after it started: " + s),
                () -> assertTrue(s.exitedNs() <= run.after(), "exited before the output ended: " + run + " " + s),
                () -> assertTrue(s.startedNs() - s.readyNs() < 2_000 * MS, "fork to execve is short: " + s));
    }

    /** With --prestart the start is the start byte: the program's own start-up before it is not the job's. */
    @Test
    void aPrestartedLaunchStartsAtItsStartByte() throws Exception {
        Run run = run(List.of("--prestart"),
                "import os, time\ntime.sleep(0.3)\nos.write(3, b'x')\ntime.sleep(0.1)");
        LauncherStatus s = run.status();
        assertTrue(s.jobStarted(), s.toString());
        assertAll(
                () -> assertTrue(run.before() <= s.readyNs(), "launcher started before ready: " + run + " " + s),
                () -> assertTrue(s.readyNs() + 150 * MS <= s.startedNs(), "the start byte came 300 ms after the start-up: " + s),
                () -> assertTrue(s.startedNs() + 50 * MS <= s.exitedNs(), "the job ran 100 ms after its start: " + s),
                () -> assertTrue(s.exitedNs() <= run.after(), "exited before the output ended: " + run + " " + s));
    }

    /** A setup failure has no start: the program never ran. */
    @Test
    void aSetupFailureHasNoStart() throws Exception {
        Run run = run(List.of("--ro-bind", "/no/such/dir:/x"), "pass");
        LauncherStatus s = run.status();
        assertAll(
                () -> assertNotNull(s.setupError(), s.toString()),
                () -> assertNull(s.startedNs(), "started_ns: " + s),
                () -> assertEquals(new dev.sandq.executor.SandboxTimeline(0, 0, 0, 0, 7), s.timeline(1, 7)));
    }
}
