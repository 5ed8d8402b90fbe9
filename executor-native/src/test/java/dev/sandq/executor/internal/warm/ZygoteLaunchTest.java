package dev.sandq.executor.internal.warm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.internal.launch.LauncherBinary;
import dev.sandq.executor.internal.launch.LauncherStatus;
import dev.sandq.executor.internal.launch.ZygoteLaunch;
import dev.sandq.executor.internal.launch.ZygoteProcess;
import dev.sandq.executor.seccomp.SeccompPolicies;
import dev.sandq.executor.testing.OpenSocketsAndPipes;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's zygote mode (ZYGOTE.md) on its own: a zygote started by {@code --zygote-serve},
 * and launches handed to it by a stub ({@code --zygote}) or by the worker itself ({@link ZygoteProcess}).
 */
@Slow
@Timeout(60)
class ZygoteLaunchTest {
    private static final String LAUNCHER = System.getProperty("sandq.launcher");
    private static final Path LIBRARY = Path.of(LAUNCHER).resolveSibling(LauncherBinary.LIBRARY_NAME);
    private static final List<String> ENV = List.of("A=1", "LANG=C.UTF-8");

    @TempDir
    Path dir;
    private Process zygote;
    private final StringBuffer zygoteStderr = new StringBuffer();

    @BeforeEach
    void startZygote() throws Exception {
        Files.write(bpf(), SeccompPolicies.load(Language.PYTHON3, false, List.of()).compileBpf());
        startZygote(List.of());
    }

    private void startZygote(List<String> expectedProgram) throws Exception {
        zygote = new ProcessBuilder(zygoteArgv(socket(), dir.resolve("zygote-status.json"), expectedProgram))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader stderr = new BufferedReader(new InputStreamReader(zygote.getErrorStream(), StandardCharsets.UTF_8));
        String first = stderr.readLine();
        assertEquals(PythonZygote.READY_LINE, first, () -> "the zygote's first line; status: " + read(dir.resolve("zygote-status.json")));
        Thread drain = new Thread(() -> stderr.lines().forEach(l -> zygoteStderr.append(l).append('\n')));
        drain.setDaemon(true);
        drain.start();
    }

    @AfterEach
    void stopZygote() throws InterruptedException {
        zygote.destroy();
        assertTrue(zygote.waitFor(10, TimeUnit.SECONDS));
    }

    /** A zygote listening on {@code socket}, for launches with {@link #ENV}, that compiles {@code expectedProgram} (none or one) once, as the launches' program. */
    private List<String> zygoteArgv(Path socket, Path status, List<String> expectedProgram) throws IOException {
        List<String> argv = new ArrayList<>(List.of(LAUNCHER, "--zygote-serve", socket.toString()));
        argv.addAll(options(status, ENV));
        argv.addAll(List.of("--ro-bind", LIBRARY + ":" + ZygoteLaunch.LIBRARY_INSIDE, "--",
                "/usr/bin/python3", "-c", zygoteSource(), ZygoteLaunch.LIBRARY_INSIDE,
                String.join(",", PythonZygote.PRELOAD_FOR_TEMPLATES)));
        argv.addAll(expectedProgram);
        return argv;
    }

    private Path socket() {
        return dir.resolve("zygote.sock");
    }

    private Path bpf() {
        return dir.resolve("policy.bpf");
    }

    private Path status() {
        return dir.resolve("status.json");
    }

    private List<String> options(Path status, List<String> env) {
        List<String> options = new ArrayList<>(List.of("--status-file", status.toString(), "--seccomp-file", bpf().toString(),
                "--uid", "61000", "--gid", "61000", "--wall-ms", "5000", "--cgroup", "auto",
                "--ro-bind", "/usr:/usr", "--symlink", "usr/lib:/lib", "--symlink", "usr/lib64:/lib64"));
        for (String e : env) {
            options.addAll(List.of("--env", e));
        }
        return options;
    }

    private static final String SLEEPER = "import time\nprint('started', flush=True)\ntime.sleep(60)";

    /** The launcher's argv that the worker hands to the zygote itself (no --zygote SOCKET: no stub). */
    private List<String> workerArgv(List<String> env, String code, String... args) {
        List<String> argv = new ArrayList<>(List.of(LAUNCHER));
        argv.addAll(options(status(), env));
        argv.addAll(List.of("--", "/usr/bin/python3", "-c", code));
        argv.addAll(List.of(args));
        return argv;
    }

    private static Set<Path> jobCgroups() throws IOException {
        try (var dirs = Files.list(Path.of("/sys/fs/cgroup/pids/sandq"))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("job-")).collect(Collectors.toCollection(HashSet::new));
        }
    }

    /**
     * The sockets and pipes the worker holds open, by kernel object ("socket:[inode]"). A test compares
     * objects, not a count of fds: other threads of the JVM may close fds of their own meanwhile.
     */
    private static Set<String> openSocketsAndPipes() {
        return new HashSet<>(OpenSocketsAndPipes.ofThisJvm().values());
    }

    private static Set<String> openedSince(Set<String> before) {
        Set<String> opened = openSocketsAndPipes();
        opened.removeAll(before);
        return opened;
    }

    private Process launch(List<String> env, String code, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(LAUNCHER, "--zygote", socket().toString()));
        argv.addAll(options(status(), env));
        argv.addAll(List.of("--", "/usr/bin/python3", "-c", code));
        argv.addAll(List.of(args));
        return new ProcessBuilder(argv).start();
    }

    @Test
    void aJobIsForkedByTheZygoteAndRunsAsExecveWouldStartIt() throws Exception {
        Process p = launch(ENV, String.join("\n",
                "import os, sys",
                "print(sys.argv, os.environ['A'], os.getuid(), open('/proc/self/status').read().count('Seccomp:\\t2'))",
                "print('forked' if 'libsandq-launcher.so' in open('/proc/self/maps').read() else 'exec')"), "x", "y");
        Finished f = finish(p);
        assertAll(
                () -> assertEquals("['-c', 'x', 'y'] 1 61000 1\nforked\n", f.stdout(), f.stderr()),
                () -> assertEquals(0, f.status().exitCode(), f.status()::toString),
                () -> assertEquals(0, p.exitValue()));
    }

    @Test
    void theProgramTheZygoteCompiledRunsAsItsOwnSourceAndAnyOtherProgramRunsItsOwn() throws Exception {
        stopZygote();
        Files.delete(socket()); // as PythonZygote does before it starts one
        String expected = "import sys\nprint('expected', sys.argv[1:])";
        startZygote(List.of(expected));
        Process same = launch(ENV, expected, "a");
        String sameOut = read(same.getInputStream());
        String sameErr = read(same.getErrorStream());
        assertTrue(same.waitFor(10, TimeUnit.SECONDS));
        Process other = launch(ENV, "import sys\nprint('other', sys.argv[1:])", "b");
        String otherOut = read(other.getInputStream());
        String otherErr = read(other.getErrorStream());
        assertTrue(other.waitFor(10, TimeUnit.SECONDS));
        assertAll(
                () -> assertEquals("expected ['a']\n", sameOut, sameErr),
                () -> assertEquals("other ['b']\n", otherOut, "another program never runs the compiled one: " + otherErr));
    }

    @Test
    void aLaunchWhoseEnvironmentDiffersFromTheZygotesIsRefusedBeforeItRuns() throws Exception {
        Process p = launch(List.of("A=2", "LANG=C.UTF-8"), "print('ran')");
        String stdout = read(p.getInputStream());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String line = LauncherStatus.line(status()).orElseThrow();
        assertAll(
                () -> assertEquals("", stdout),
                () -> assertTrue(line.contains("environment lacks the zygote's A=1"), line),
                () -> assertEquals(1, p.exitValue()));
    }

    @Test
    void theChildsExitCodeIsTheStubs() throws Exception {
        List<String> argv = new ArrayList<>(List.of(LAUNCHER, "--zygote", socket().toString(), "--no-such-option"));
        argv.addAll(options(status(), ENV));
        argv.addAll(List.of("--", "/usr/bin/python3", "-c", "print('ran')"));
        Process p = new ProcessBuilder(argv).start();
        String stderr = read(p.getErrorStream());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertAll(
                () -> assertEquals(2, p.exitValue(), "a usage error's exit code"),
                () -> assertTrue(stderr.contains("unknown option"), stderr));
    }

    @Test
    void killingTheStubEndsTheJobAndItsCgroup() throws Exception {
        Set<Path> before = jobCgroups();
        Process p = launch(ENV, SLEEPER);
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("started", stdout.readLine());
        Set<Path> made = jobCgroups();
        made.removeAll(before);
        assertEquals(1, made.size(), () -> "one new job cgroup: " + made);
        Path cgroup = made.iterator().next();
        // Not Process.destroyForcibly(), which closes our end of the pipes too.
        assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start().waitFor());
        long start = System.nanoTime();
        assertEquals(null, stdout.readLine(), "the job's stdout ends");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "within 5 s, not the job's 60");
        String line = awaitStatusLine();
        assertTrue(line.contains("\"limit\":\"terminated\""), line);
        // The zygote's child removes it after the status line.
        Await.until(Duration.ofSeconds(5), () -> !Files.exists(cgroup), () -> "the job's cgroup " + cgroup + " removed");
    }

    @Test
    void aLaunchHandedOverByTheWorkerItselfRunsWithItsCgroupNamedAfterTheZygotesChild() throws Exception {
        ZygoteProcess p = ZygoteProcess.start(LIBRARY, socket(), workerArgv(ENV,
                "import os, sys\nprint(sys.argv, os.getuid(), sys.stdin.read(), flush=True)\n"
                        + "print(sorted({l.strip().rsplit('/', 1)[1] for l in open('/proc/self/cgroup') if '/sandq/job-' in l}),"
                        + " file=sys.stderr)\nsys.exit(3)", "x"));
        try (var in = p.getOutputStream()) {
            in.write("from stdin".getBytes(StandardCharsets.UTF_8));
        }
        Finished f = finish(p);
        assertAll(
                () -> assertEquals("['-c', 'x'] 61000 from stdin\n", f.stdout(), f.stderr()),
                () -> assertEquals("['job-" + p.pid() + "']\n", f.stderr(), "the job's cgroups, named after the zygote's child"),
                () -> assertEquals(3, f.status().exitCode(), f.status()::toString),
                () -> assertEquals(0, p.exitValue(), "the launcher's exit code: a status line was written"),
                () -> assertFalse(p.isAlive()));
    }

    @Test
    void aWorkerLaunchCarriesMegabytesBothWaysThroughItsPipes() throws Exception {
        ZygoteProcess p = ZygoteProcess.start(LIBRARY, socket(), workerArgv(ENV, String.join("\n",
                "import sys, hashlib",
                "data = sys.stdin.buffer.read()",
                "sys.stdout.buffer.write(data[::-1] * 2)",
                "print(len(data), hashlib.sha256(data).hexdigest(), file=sys.stderr)")));
        byte[] sent = new byte[3 * 1024 * 1024 + 7];
        new java.util.Random(42).nextBytes(sent);
        Thread feeder = new Thread(() -> {
            try (var in = p.getOutputStream()) {
                in.write(sent);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        feeder.start();
        var stderr = new java.util.concurrent.CompletableFuture<String>();
        new Thread(() -> {
            try {
                stderr.complete(read(p.getErrorStream()));
            } catch (IOException e) {
                stderr.completeExceptionally(e);
            }
        }).start();
        byte[] received = p.getInputStream().readAllBytes();
        feeder.join(10_000);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        byte[] reversed = new byte[sent.length];
        for (int i = 0; i < sent.length; i++) {
            reversed[i] = sent[sent.length - 1 - i];
        }
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(sent));
        assertAll(
                () -> assertEquals(sent.length + " " + digest + "\n", stderr.get(10, TimeUnit.SECONDS)),
                () -> assertEquals(2 * sent.length, received.length),
                () -> assertTrue(java.util.Arrays.equals(reversed, 0, sent.length, received, 0, sent.length)
                        && java.util.Arrays.equals(reversed, 0, sent.length, received, sent.length, received.length),
                        "stdout is stdin reversed, twice"));
    }

    @Test
    void aTerminatedWorkerLaunchEndsItsJobAndRemovesTheCgroupNamedAfterTheZygotesChild() throws Exception {
        ZygoteProcess p = ZygoteProcess.start(LIBRARY, socket(), workerArgv(ENV, SLEEPER));
        BufferedReader stdout = awaitStarted(p);
        Path cgroup = jobCgroup(p);
        assertTrue(Files.isDirectory(cgroup), "the job's cgroup is named after the zygote's child: " + cgroup);
        p.terminate();
        assertEquals(null, stdout.readLine(), "the job's stdout ends");
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "the zygote's child exits, not after the job's 60 s");
        assertTrue(awaitStatusLine().contains("\"limit\":\"terminated\""));
        assertFalse(Files.exists(cgroup), "the cgroup is removed before the child exits");
    }

    @Test
    void aWorkerThatHangsUpEndsTheJobAsAKilledStubDid() throws Exception {
        ZygoteProcess p = ZygoteProcess.start(LIBRARY, socket(), workerArgv(ENV, SLEEPER));
        awaitStarted(p);
        Path cgroup = jobCgroup(p);
        long child = p.pid();
        p.destroyForcibly();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "counts as exited once it hung up");
        assertTrue(awaitStatusLine().contains("\"limit\":\"terminated\""));
        Await.until(Duration.ofSeconds(5), () -> !Files.exists(cgroup) && ProcessHandle.of(child).isEmpty(),
                () -> "the job's cgroup " + cgroup + " removed and the zygote's child " + child + " gone");
    }

    @Test
    void aLaunchTheWorkerCannotHandOverFailsWithTheStepAndLeavesNoFdOpen() throws Exception {
        Set<String> before = openSocketsAndPipes();
        IOException refused = assertThrows(IOException.class,
                () -> ZygoteProcess.start(LIBRARY, dir.resolve("no-zygote.sock"), workerArgv(ENV, "pass")));
        assertTrue(refused.getMessage().contains("connect the zygote: No such file or directory"), refused.getMessage());
        for (int i = 0; i < 20; i++) {
            ZygoteProcess p = ZygoteProcess.start(LIBRARY, socket(), workerArgv(ENV, "print('ran')"));
            p.getOutputStream().close();
            assertEquals("ran\n", read(p.getInputStream()));
            read(p.getErrorStream());
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            p.getInputStream().close();
            p.getErrorStream().close();
        }
        Await.until(Duration.ofSeconds(5), () -> openedSince(before).isEmpty(),
                () -> "the sockets and pipes left open by a refused launch and 20 launches: " + openedSince(before));
    }

    @Test
    void aStubOfAnotherUidIsRefused() throws Exception {
        // The socket is the worker's uid's alone (0600); opened up here to reach the second check.
        Files.setPosixFilePermissions(socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                LAUNCHER, "--zygote", socket().toString()));
        argv.addAll(options(dir.resolve("nobody-status.json"), ENV));
        argv.addAll(List.of("--", "/usr/bin/python3", "-c", "print('ran')"));
        Process p = new ProcessBuilder(argv).start();
        String stdout = read(p.getInputStream());
        String stderr = read(p.getErrorStream());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertAll(
                () -> assertEquals("", stdout),
                () -> assertEquals(1, p.exitValue(), stderr),
                () -> assertTrue(stderr.contains("the zygote closed the connection before forking for this launch"), stderr),
                () -> awaitZygoteLog("runs as uid 65534, not as the zygote's uid 0"),
                () -> assertFalse(Files.exists(dir.resolve("nobody-status.json")), "nothing of the launch was done"));
    }

    @Test
    void aZygoteWhoseWorkerDiedExits() throws Exception {
        // A second zygote, started by a shell that is then killed: the zygote is orphaned.
        Path socket = dir.resolve("orphan.sock");
        Path stderr = dir.resolve("orphan.err");
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "err=$1; shift; \"$@\" 2>\"$err\" & echo $!; wait", "sh",
                stderr.toString()));
        argv.addAll(zygoteArgv(socket, dir.resolve("orphan-status.json"), List.of()));
        Process shell = new ProcessBuilder(argv).start();
        long zygotePid = Long.parseLong(new BufferedReader(new InputStreamReader(shell.getInputStream())).readLine().strip());
        ProcessHandle orphan = ProcessHandle.of(zygotePid).orElseThrow();
        // Its ready line comes just before its accept loop.
        Await.until(Duration.ofSeconds(10), () -> read(stderr).contains(PythonZygote.READY_LINE),
                () -> "the second zygote ready; it printed: " + read(stderr));
        assertTrue(Files.exists(socket), "the second zygote listens");
        // It looks for its worker after each accept, which times out after 1 s (zygote/python3.py):
        // in 1.5 s it has looked at least once.
        Await.nothingFor(Duration.ofMillis(1500), Await.POLL, () -> !orphan.isAlive(),
                () -> "the zygote exited while its parent runs; it printed: " + read(stderr));
        shell.destroyForcibly();
        assertTrue(shell.waitFor(5, TimeUnit.SECONDS));
        orphan.onExit().get(5, TimeUnit.SECONDS);
        assertFalse(orphan.isAlive(), "it exits once orphaned");
    }

    /** A {@link #SLEEPER}'s stdout, once it said it started. */
    private static BufferedReader awaitStarted(Process p) throws IOException {
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("started", stdout.readLine());
        return stdout;
    }

    /** The pids cgroup of a job the worker handed over: named after the zygote's child. */
    private static Path jobCgroup(Process p) {
        return Path.of("/sys/fs/cgroup/pids/sandq/job-" + p.pid());
    }

    /** What a launch left: its output, read to the end, and its status line once it has exited. */
    private record Finished(String stdout, String stderr, LauncherStatus status) {
    }

    private Finished finish(Process p) throws IOException, InterruptedException {
        String stdout = read(p.getInputStream());
        String stderr = read(p.getErrorStream());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return new Finished(stdout, stderr, LauncherStatus.parse(LauncherStatus.line(status()).orElseThrow()));
    }

    private String awaitStatusLine() {
        return Await.untilPresent(Duration.ofSeconds(5), Await.POLL, () -> LauncherStatus.line(status()),
                () -> "a status line in " + status());
    }

    private void awaitZygoteLog(String text) {
        Await.until(Duration.ofSeconds(5), () -> zygoteStderr.toString().contains(text),
                () -> "the zygote to log '" + text + "'; it logged:\n" + zygoteStderr);
    }

    private static String zygoteSource() throws IOException {
        try (InputStream in = ZygoteLaunchTest.class.getResourceAsStream("/dev/sandq/executor/zygote/python3.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
