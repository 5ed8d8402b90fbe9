package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Slow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The limits of issue 2, each against a real interpreter in a real sandbox. */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SandboxLimitsTest {
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = LocalSandbox.create(SandboxConfig.builder().slots(1).build());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void busyLoopEndsWithTimeoutWithinLimit() throws Exception {
        Result r = sandbox.run(Job.of(Language.PYTHON3, "while True:\n    pass\n")
                .withLimits(JobLimits.DEFAULTS.withWallTimeMs(200)));
        assertAll(
                () -> assertEquals(Status.TIMEOUT, r.status(), r::toString),
                () -> assertTrue(r.usage().wallTimeMs() >= 200 && r.usage().wallTimeMs() < 300,
                        "wall time " + r.usage().wallTimeMs() + " ms not in [200, 300)"));
    }

    @Test
    void nodeBusyLoopEndsWithTimeoutWithinLimit() throws Exception {
        Result r = sandbox.run(Job.of(Language.NODEJS, "for (;;) {}")
                .withLimits(JobLimits.DEFAULTS.withWallTimeMs(200)));
        assertAll(
                () -> assertEquals(Status.TIMEOUT, r.status(), r::toString),
                () -> assertTrue(r.usage().wallTimeMs() >= 200 && r.usage().wallTimeMs() < 300,
                        "wall time " + r.usage().wallTimeMs() + " ms not in [200, 300)"));
    }

    @Test
    void cpuLimitCountsEveryThread() throws Exception {
        String burn = """
                import threading
                def spin():
                    while True:
                        pass
                for _ in range(4):
                    threading.Thread(target=spin, daemon=True).start()
                spin()
                """;
        Result r = sandbox.run(Job.of(Language.PYTHON3, burn)
                .withLimits(JobLimits.DEFAULTS.withWallTimeMs(5000).withCpuTimeMs(300)));
        assertAll(
                () -> assertEquals(Status.TIMEOUT, r.status(), r::toString),
                () -> assertTrue(r.usage().cpuTimeMs() >= 300, "cpu " + r.usage()),
                () -> assertTrue(r.usage().wallTimeMs() < 2000, "ended by CPU, not wall: " + r.usage()));
    }

    @Test
    void gibibyteAllocationUnderSixtyFourMebibytesEndsWithMemoryLimit() throws Exception {
        Result r = sandbox.run(Job.of(Language.PYTHON3, "x = bytearray(1 << 30)\nprint(len(x))\n")
                .withLimits(JobLimits.DEFAULTS.withMemoryMb(64)));
        assertEquals(Status.MEMORY_LIMIT, r.status(), r::toString);
    }

    @Test
    void nodeAllocationOverLimitEndsWithMemoryLimit() throws Exception {
        Result r = sandbox.run(Job.of(Language.NODEJS,
                        "const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));")
                .withLimits(JobLimits.DEFAULTS.withMemoryMb(64)));
        assertEquals(Status.MEMORY_LIMIT, r.status(), r::toString);
    }

    @Test
    void endlessPrintEndsWithOutputLimitKeepingExactlyTheCap() throws Exception {
        Result r = sandbox.run(Job.of(Language.PYTHON3, "while True:\n    print('x' * 100)\n")
                .withLimits(JobLimits.DEFAULTS.withMaxOutputBytes(64 * 1024)));
        assertAll(
                () -> assertEquals(Status.OUTPUT_LIMIT, r.status(), r::toString),
                () -> assertEquals(64 * 1024, r.stdout().length()),
                () -> assertTrue(r.stdoutTruncated()));
    }

    @Test
    void stdoutAndStderrShareOneCap() throws Exception {
        Result r = sandbox.run(Job.of(Language.NODEJS,
                        "for (;;) { process.stdout.write('o'.repeat(1000)); process.stderr.write('e'.repeat(1000)); }")
                .withLimits(JobLimits.DEFAULTS.withMaxOutputBytes(64 * 1024)));
        assertAll(
                () -> assertEquals(Status.OUTPUT_LIMIT, r.status(), r::toString),
                () -> assertEquals(64 * 1024, r.stdout().length() + r.stderr().length()));
    }

    @Test
    void deniedSyscallThatKillsEndsWithSyscallDenied() throws Exception {
        String ptrace = "import ctypes\nctypes.CDLL(None).syscall(101, 0, 0, 0, 0)\nprint('survived')\n";
        Result r = sandbox.run(Job.of(Language.PYTHON3, ptrace));
        assertAll(
                () -> assertEquals(Status.SYSCALL_DENIED, r.status(), r::toString),
                () -> assertEquals(31, r.signal()),
                () -> assertEquals("", r.stdout()));
    }

    @Test
    void requestedLimitsAreClampedToTheCeilings() throws Exception {
        Result r = sandbox.run(Job.of(Language.PYTHON3, "import time\ntime.sleep(1)\n")
                .withLimits(JobLimits.DEFAULTS.withWallTimeMs(Long.MAX_VALUE)));
        assertEquals(Status.OK, r.status(), r::toString);
        SandboxLimits resolved = SandboxLimits.DEFAULTS.resolve(
                JobLimits.DEFAULTS.withWallTimeMs(Long.MAX_VALUE), SandboxLimits.CEILINGS);
        assertEquals(SandboxLimits.CEILINGS.wallTimeMs(), resolved.wallTimeMs());
    }

    @Test
    void invalidUtf8OutputIsReplacedNotBroken() throws Exception {
        Result r = sandbox.run(Job.of(Language.PYTHON3,
                "import sys\nsys.stdout.buffer.write(b'ok \\xff\\xfe end')\n"));
        assertAll(
                () -> assertEquals(Status.OK, r.status(), r::toString),
                () -> assertEquals("ok \uFFFD\uFFFD end", r.stdout()));
    }
}
