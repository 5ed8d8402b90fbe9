package dev.sandq.executor.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sandq.executor.Language;
import dev.sandq.executor.LaunchPath;
import dev.sandq.executor.OutputFile;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.Result;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.internal.ProcessSandbox;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.executor.testing.FreshIds;
import dev.sandq.executor.testing.UnprivilegedJvm;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every program of the corpus (src/test/resources/corpus/everyday and /hostile) through one
 * real sandbox with the real seccomp policy, checks the result against the program's header (see
 * {@link CorpusCase}), and after every job checks that nothing of it is left on the host.
 *
 * <p>Needs root: the jobs run as the slot uids, which is what the leftover check looks for.
 * {@link CorpusAsUnprivilegedUserTest} runs this same class again as an unprivileged uid, in privilege mode userns.
 */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES) // each program: its wall limit is 10 s at most
class CorpusTest {
    private static final int SLOTS = 2;
    /** A companion signals that it is up by creating this file in its own /tmp. */
    private static final String COMPANION_READY = "tmp/sandq-companion-ready";
    private static final Duration COMPANION_START = Duration.ofSeconds(10);
    /** Set by {@link CorpusAsUnprivilegedUserTest}: this run is as an unprivileged uid, in privilege mode userns. */
    static final String UNPRIVILEGED_PROPERTY = "sandq.corpus.unprivileged";
    private static final boolean UNPRIVILEGED = Boolean.getBoolean(UNPRIVILEGED_PROPERTY);
    /**
     * How the corpus's jobs start: its Python jobs by this launch path (fresh, prestarted or
     * zygote), its Node.js jobs prestarted, or fresh when this is fresh. Default: zygote in root
     * mode, prestarted in userns (which has no zygote); {@link CorpusOnOtherLaunchPathsTest} runs
     * the others. Every path must give every case what its header says.
     */
    static final String LAUNCH_PATH_PROPERTY = "sandq.corpus.launchPath";
    private static final LaunchPath PYTHON_PATH = LaunchPath.fromWireName(
            System.getProperty(LAUNCH_PATH_PROPERTY, UNPRIVILEGED ? "prestarted" : "zygote"));

    private static Sandbox sandbox;
    private static JobLeftovers leftovers;
    private static HostProbeSocket probe; // null in the unprivileged run: its parent owns the probe
    private static final ExecutorService companions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "corpus-companion");
        t.setDaemon(true);
        return t;
    });

    @BeforeAll
    static void startSandbox() throws Exception {
        // Slot uids and a cgroup parent of this run's own: the leftover check sees only our jobs.
        // The network allowed, as `sandq up` allows it (the standard egress policy): cases with
        // `network: true` go out through the egress proxy; the others have no network either way.
        SandboxConfig.Builder builder = SandboxConfig.builder().slots(SLOTS)
                .firstSlotUid(FreshIds.uidRange(2 * SLOTS)).cgroupParent(FreshIds.cgroupParent()).networkAllowed(true)
                // as the worker has its harness: precompiled_programs_are_dropped_before_the_job_runs
                .precompiledPython(List.of("print('a program the zygote compiles ahead')\n"));
        if (UNPRIVILEGED) {
            builder.privilegeMode(PrivilegeMode.USERNS);
        }
        builder.launchPath(Language.PYTHON3, PYTHON_PATH)
                .launchPath(Language.NODEJS, PYTHON_PATH == LaunchPath.FRESH ? LaunchPath.FRESH : LaunchPath.PRESTARTED);
        SandboxConfig config = builder.build();
        if (UNPRIVILEGED) {
            // Started by CorpusAsUnprivilegedUserTest as a uid of its own, which owns the host probe socket and checks it.
            int uid = UnprivilegedJvm.currentUid();
            assertNotEquals(0, uid, "the unprivileged corpus must not run as root");
            leftovers = new JobLeftovers(uid, 1, config.cgroupParent(), CorpusTest::prestartedLaunchers);
        } else {
            assertEquals("root", System.getProperty("user.name"),
                    "the corpus runs as root, its jobs as the slot uids; CorpusAsUnprivilegedUserTest runs it unprivileged");
            leftovers = new JobLeftovers(config.firstSlotUid(), config.sandboxSlots(), config.cgroupParent(),
                    CorpusTest::prestartedLaunchers);
            probe = HostProbeSocket.open();
        }
        assertEquals("", leftovers.describe(), "the host is not clean before the corpus runs");
        sandbox = LocalSandbox.create(config);
    }

    private static Set<Long> prestartedLaunchers() {
        try {
            return sandbox == null ? Set.of() : ((ProcessSandbox) sandbox).prestartedLaunchers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopSandbox() throws IOException {
        companions.shutdownNow();
        if (sandbox != null) {
            sandbox.close();
        }
        if (leftovers != null) {
            leftovers.removeCgroupParents();
        }
        if (probe != null) {
            probe.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sandq.executor.corpus.CorpusCase#all")
    void programEndsAsItsHeaderSaysAndLeavesNothingBehind(CorpusCase c) throws Exception {
        Result result = c.runBeside().isPresent() ? runBesideCompanion(c) : sandbox.run(c.job());
        // The launcher removes the job's cgroup after reporting: once it has exited, nothing may be left.
        assertTrue(((ProcessSandbox) sandbox).awaitLauncherExits(10_000), c.name() + ": the launcher did not exit");
        assertEquals("", leftovers.describe(), c.name() + ": the job must leave nothing on the host");
        if (probe != null) {
            assertEquals(0, probe.connections(), c.name() + ": a job reached the host's unix socket " + HostProbeSocket.PATH);
        }
        if (c.knownGap().isEmpty()) {
            assertMeetsExpectations(c, result);
            return;
        }
        String gap = c.knownGap().orElseThrow();
        try {
            assertMeetsExpectations(c, result);
        } catch (AssertionError stillOpen) {
            Assumptions.abort("KNOWN GAP, " + gap + ": " + stillOpen.getMessage());
        }
        fail(c.name() + " now gets what it must: the known gap '" + gap + "' looks closed, drop its known-gap line");
    }

    /** Starts the companion in the other slot, waits until it is up, then runs the case beside it. */
    private static Result runBesideCompanion(CorpusCase c) throws Exception {
        CorpusCase companion = CorpusCase.load(c.runBeside().orElseThrow());
        Future<Result> companionResult = companions.submit(() -> sandbox.run(companion.job()));
        Await.until(COMPANION_START, Duration.ofMillis(10), () -> {
            if (companionResult.isDone()) {
                fail(companion.name() + " ended before it was seen running: " + describe(companionResult.get()));
            }
            return companionIsUp();
        }, () -> companion.name() + " up (its " + COMPANION_READY + " made)");
        Result result = sandbox.run(c.job());
        assertMeetsExpectations(companion, companionResult.get(companion.limits().wallTimeMs() == null
                ? 30_000 : companion.limits().wallTimeMs() + 10_000, TimeUnit.MILLISECONDS));
        return result;
    }

    /** Some slot-uid process has created the ready file in its own root. */
    private static boolean companionIsUp() {
        return leftovers.strayProcesses().stream()
                .anyMatch(p -> Files.exists(Path.of("/proc", Long.toString(p.pid()), "root", COMPANION_READY)));
    }

    static void assertMeetsExpectations(CorpusCase c, Result r) {
        String seen = c.name() + " -> " + describe(r);
        CorpusCase.Outcome outcome = c.expected(UNPRIVILEGED, Ia32Emulation.available());
        assertEquals(outcome.status(), r.status(), () -> "wrong status, expected " + outcome + ": " + seen);
        assertTrue(outcome.allowsSignal(r.signal()), () -> "wrong signal, expected " + outcome + ": " + seen);
        byte[] out = r.stdout().getBytes(StandardCharsets.UTF_8);
        c.stdout().ifPresent(expected -> assertEquals(expected, r.stdout(), () -> "wrong stdout: " + seen));
        c.stdoutLength().ifPresent(n -> assertEquals(n, out.length, () -> "wrong stdout length: " + seen));
        c.stdoutSha256().ifPresent(h -> assertEquals(h, sha256(out), () -> "wrong stdout bytes: " + seen));
        for (String s : c.stdoutContains()) {
            assertTrue(r.stdout().contains(s), () -> "stdout lacks '" + s + "': " + seen);
        }
        for (String s : c.stdoutNotContains()) {
            assertTrue(!r.stdout().contains(s), () -> "stdout has '" + s + "': " + seen);
        }
        for (String s : c.stderrContains()) {
            assertTrue(r.stderr().contains(s), () -> "stderr lacks '" + s + "': " + seen);
        }
        c.maxWallMs().ifPresent(ms -> assertTrue(r.usage().wallTimeMs() <= ms,
                () -> "took " + r.usage().wallTimeMs() + " ms of wall time, more than " + ms + ": " + seen));
        assertFilesMeetExpectations(c.files(), r, seen);
    }

    private static void assertFilesMeetExpectations(CorpusCase.FileExpectations expected, Result r, String seen) {
        for (String s : expected.errorContains()) {
            assertTrue(r.error() != null && r.error().contains(s), () -> "the error lacks '" + s + "': " + seen);
        }
        List<String> paths = r.outputs().files().stream().map(OutputFile::path).toList();
        String files = seen + "\n--- files: " + (paths.size() > 20 ? paths.subList(0, 20) + "..." : paths)
                + (r.outputs().truncated() ? " (truncated)" : "");
        expected.outputs().ifPresent(o -> assertEquals(o, paths, () -> "wrong output files: " + files));
        for (String p : expected.include()) {
            assertTrue(paths.contains(p), () -> "the output file " + p + " did not come back: " + files);
        }
        expected.count().ifPresent(n -> assertEquals(n, paths.size(), () -> "wrong number of output files: " + files));
        expected.truncated().ifPresent(t -> assertEquals(t, r.outputs().truncated(),
                () -> "files_truncated should be " + t + ": " + files));
        for (String s : expected.notContains()) {
            for (OutputFile f : r.outputs().files()) {
                assertFalse(new String(f.content(), StandardCharsets.ISO_8859_1).contains(s),
                        () -> "the output file " + f.path() + " holds '" + s + "': " + files);
            }
        }
    }

    static String describe(Result r) {
        return r.status().wireName() + " (exit " + r.exitCode() + ", signal " + r.signal() + ", error: " + r.error()
                + ", usage " + r.usage() + ")\n--- stdout" + (r.stdoutTruncated() ? " (truncated)" : "") + "\n"
                + clip(r.stdout()) + "\n--- stderr" + (r.stderrTruncated() ? " (truncated)" : "") + "\n"
                + clip(r.stderr());
    }

    private static String clip(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 1000) + "\n[... " + (s.length() - 2000) + " chars ...]\n"
                + s.substring(s.length() - 1000);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
