package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.internal.ProcessSandbox;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A job run in a prestarted sandbox (its interpreter started before the job arrived) gets what it
 * would get in a sandbox built for it: same output, errors, exit status, code file, limits
 * counted from its own start, and a fresh sandbox of its own.
 */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SandboxPrestartTest {
    /** Shows which way the job was run: the bootstrap freezes the start-up's objects out of the collector. */
    private static final String RAN_PRESTARTED = "import gc\nprint(gc.get_freeze_count() > 0)\n";
    /** The same for node, whose bootstrap is preloaded with -r (and removed from process.execArgv). */
    private static final String NODE_RAN_PRESTARTED =
            "console.log(require('fs').readFileSync('/proc/self/cmdline', 'latin1').split('\\0').includes('-r'))\n";

    private static ProcessSandbox prestarting;
    private static Sandbox cold;

    @BeforeAll
    static void start() throws Exception {
        prestarting = (ProcessSandbox) LocalSandbox.create(SandboxConfig.builder().slots(1).prestart(true)
                .launchPath(Language.PYTHON3, LaunchPath.ZYGOTE).launchPath(Language.NODEJS, LaunchPath.PRESTARTED)
                .precompiledPython(Stream.concat(PYTHON_PROGRAMS.stream(), Stream.of(SLOW_TO_COMPILE)).toList())
                .build());
        cold = LocalSandbox.create(SandboxConfig.builder().slots(1).prestart(false).build());
    }

    @AfterAll
    static void stop() {
        prestarting.close();
        cold.close();
    }

    private static Result prestarted(Job job) throws InterruptedException {
        prestarting.run(job); // leaves the slot a sandbox prestarted for a job like this one
        return prestarting.run(job);
    }

    @Test
    void aJobLikeThePreviousOneRunsInThePrestartedSandboxAnOtherOneInANewOne() throws Exception {
        Job job = Job.of(Language.PYTHON3, RAN_PRESTARTED);
        prestarting.run(job);
        SandboxStarts before = prestarting.starts();
        assertEquals("True\n", prestarting.run(job).stdout(), "same language and limits: prestarted");
        assertEquals(new SandboxStarts(before.prestarted() + 1, before.built()), prestarting.starts(), "counted");
        assertEquals("False\n", prestarting.run(job.withLimits(JobLimits.DEFAULTS.withWallTimeMs(4321))).stdout(),
                "other limits: a sandbox built for it");
        assertEquals(new SandboxStarts(before.prestarted() + 1, before.built() + 1), prestarting.starts(), "counted");
        assertEquals("False\n", cold.run(job).stdout(), "without prestarting: always built for the job");

        Job node = Job.of(Language.NODEJS, NODE_RAN_PRESTARTED);
        assertEquals("false\n", prestarting.run(node).stdout(), "the slot was prestarted for Python");
        assertEquals("true\n", prestarting.run(node).stdout(), "then for Node");
    }

    /** Python's prestarted interpreter is forked by a zygote (ZYGOTE.md), unless the configuration says otherwise. */
    @Test
    void aPrestartedPythonInterpreterIsForkedByTheZygoteUnlessTurnedOff() throws Exception {
        Job forked = Job.of(Language.PYTHON3, "print('libsandq-launcher.so' in open('/proc/self/maps').read())\n");
        assertEquals("True\n", prestarted(forked).stdout());
        assertFalse(prestarting.pythonZygotes().isEmpty(), "a zygote runs");
        try (ProcessSandbox exec = (ProcessSandbox) LocalSandbox.create(
                SandboxConfig.builder().slots(1).prestart(true).pythonZygote(false)
                        .launchPath(Language.PYTHON3, LaunchPath.PRESTARTED).build())) {
            exec.run(forked);
            assertEquals("False\n", exec.run(forked).stdout());
            assertTrue(exec.pythonZygotes().isEmpty(), "no zygote");
        }
    }

    /** Node programs whose every visible outcome must not depend on how their sandbox was started. */
    @ParameterizedTest
    @ValueSource(strings = {
        "console.log(process.argv, __filename, require.main === module, process.execArgv, Object.keys(require.cache))\n",
        "console.log(require('fs').readFileSync(__filename, 'utf8'))\n",
        "let d = '';\nprocess.stdin.on('data', c => d += c).on('end', () => console.log(JSON.stringify(d)));\n",
        "function f() { throw new Error('boom'); }\nf();\n",
        "let x = (\n",
        "console.log('partial');\nprocess.exit(3);\n",
        "Promise.reject(new Error('unhandled'));\n",
        "const { Worker, isMainThread, parentPort } = require('worker_threads');\nif (isMainThread) {\n"
                + "  new Worker(__filename).on('message', m => console.log('got', m));\n} else {\n"
                + "  parentPort.postMessage(6 * 7);\n}\n",
        "console.log('ünïcödé ✓', module.id, module.paths.slice(0, 2));\n",
    })
    void aNodeProgramGetsTheSameOutcomePrestartedAsInASandboxBuiltForIt(String code) throws Exception {
        assertSameOutcomeEitherWay(Job.of(Language.NODEJS, code));
    }

    /**
     * Programs whose every visible outcome must not depend on how their sandbox was started: the
     * prestarting sandbox compiles each of them ahead, in its zygote (SandboxConfig.precompiledPython),
     * the one without prestarting never. The syntax error is not compiled ahead, only tried.
     */
    private static final List<String> PYTHON_PROGRAMS = List.of(
        "import sys\nprint(sys.argv, sys.path[0], __name__, __file__)\nprint(sorted(globals()))\nprint(__loader__.name)\n",
        "import sys\nprint(sys.orig_argv, sys.flags.dont_write_bytecode)\n",
        "print(open(__file__).read(), end='')\n",
        "import sys\ndata = sys.stdin.buffer.read()\nprint(len(data), data[:12])\n",
        "def f():\n    raise ValueError('boom')\nf()\n",
        "x = (\n",
        "import sys\nprint('partial')\nsys.exit(3)\n",
        "raise SystemExit('bye')\n",
        "def f():\n    raise KeyError(1)\ntry:\n    f()\nexcept Exception as e:\n    raise RuntimeError('wrapped') from e\n",
        "import inspect\ndef g():\n    return 42\nprint(inspect.getsource(g), end='')\n",
        "import warnings\nwarnings.warn('careful')\n",
        "import threading\nt = threading.Thread(target=lambda: 1 / 0)\nt.start()\nt.join()\nprint('after')\n",
        "import multiprocessing as mp\ndef sq(x):\n    return x * x\nif __name__ == '__main__':\n"
                + "    with mp.Pool(2) as p:\n        print(p.map(sq, [1, 2, 3]))\n",
        "print('ünïcödé ✓')\n",
        // a fresh interpreter's modules, though the zygote keeps its own (ctypes, socket) alive for
        // its children; and those imported again are the job's own
        "import sys\nprint(sorted(sys.modules))\nimport ctypes, socket\nprint(ctypes.sizeof(ctypes.c_int), "
                + "socket.AF_UNIX, 'ctypes' in sys.modules)\n",
        // the job runs at the worker's priority, and can go no higher (RLIMIT_NICE 0)
        "import os\nprint(os.getpriority(os.PRIO_PROCESS, 0))\ntry:\n    os.setpriority(os.PRIO_PROCESS, 0, -1)\n"
                + "except OSError as e:\n    print(type(e).__name__)\n"
    );

    /**
     * A program that takes about 30 ms to compile (a list of 15,000 constant sums, 60 KB) and a
     * moment to run: compiled ahead, a job with it as its code spends none of that.
     */
    private static final String SLOW_TO_COMPILE = "x = [" + "1+2,".repeat(15_000) + "]\nprint(len(x))\n";

    static Stream<String> pythonPrograms() {
        return PYTHON_PROGRAMS.stream();
    }

    /**
     * The proof that the zygote's compiled code is what runs: the same program with one byte more
     * is compiled by its job, which costs it the compile's CPU (medians of three, tens of ms apart).
     */
    @Test
    void aJobWhoseCodeIsAPrecompiledProgramRunsItWithoutCompilingIt() throws Exception {
        Job precompiled = Job.of(Language.PYTHON3, SLOW_TO_COMPILE);
        Job notPrecompiled = Job.of(Language.PYTHON3, SLOW_TO_COMPILE + "\n");
        long compiledAhead = medianCpuMs(precompiled);
        long compiledByTheJob = medianCpuMs(notPrecompiled);
        // The compile is most of the job that compiles itself (about 25 ms here; the job compiled ahead 1 to 2).
        assertTrue(3 * compiledAhead <= compiledByTheJob && compiledAhead + 5 <= compiledByTheJob,
                "CPU ms of the job compiled ahead " + compiledAhead + ", of the one that compiled itself "
                        + compiledByTheJob);
    }

    private static long medianCpuMs(Job job) throws InterruptedException {
        long[] cpu = new long[3];
        for (int i = 0; i < cpu.length; i++) {
            Result r = prestarted(job);
            assertEquals("15000\n", r.stdout(), r::toString);
            assertTrue(prestarting.pythonZygotes().size() > 0, "forked from a zygote");
            cpu[i] = r.usage().cpuTimeMs();
        }
        Arrays.sort(cpu);
        return cpu[1];
    }

    @ParameterizedTest
    @MethodSource("pythonPrograms")
    void aProgramGetsTheSameOutcomePrestartedAsInASandboxBuiltForIt(String code) throws Exception {
        assertSameOutcomeEitherWay(Job.of(Language.PYTHON3, code));
    }

    /**
     * The worker writes a stdin that fits into the empty pipe itself and a larger one through a
     * pump thread (LauncherRunner): both reach the job whole, either way it starts, and a job that
     * reads none of a large one still ends.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3900, 4096, 5000, 300_000})
    void aStdinOfAnySizeReachesTheJobWhole(int size) throws Exception {
        byte[] stdin = new byte[size];
        for (int i = 0; i < size; i++) {
            stdin[i] = (byte) ('a' + i % 26);
        }
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stdin));
        Job reads = Job.of(Language.PYTHON3, "import hashlib, sys\n"
                + "print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())\n").withStdin(stdin);
        Job ignores = Job.of(Language.PYTHON3, "print('done')\n").withStdin(stdin);
        for (Result r : List.of(cold.run(reads), prestarted(reads))) {
            assertEquals(digest + "\n", r.stdout(), r::toString);
        }
        for (Result r : List.of(cold.run(ignores), prestarted(ignores))) {
            assertAll(() -> assertEquals(Status.OK, r.status(), r::toString), () -> assertEquals("done\n", r.stdout()));
        }
    }

    /** Runs {@code job}, with a stdin that looks like a frame, both ways and compares all it shows. */
    private static void assertSameOutcomeEitherWay(Job job) throws InterruptedException {
        Job withStdin = job.withStdin("000000000005pass\nsome stdin\n".getBytes(StandardCharsets.UTF_8));
        Result built = cold.run(withStdin);
        Result warm = prestarted(withStdin);
        assertAll(
                () -> assertEquals(built.status(), warm.status()),
                () -> assertEquals(built.exitCode(), warm.exitCode()),
                () -> assertEquals(built.stdout(), warm.stdout()),
                () -> assertEquals(built.stderr(), warm.stderr()));
    }

    /**
     * Node then Python twice, one at a time, on two slots: after the Node job its slot holds a Node
     * sandbox, the other still the Python one from the start. Both Python jobs go to the slot
     * prestarted for Python, although the Node job's slot is free too.
     */
    @Test
    void aJobGoesToAFreeSlotPrestartedForIt() throws Exception {
        try (ProcessSandbox twoSlots = (ProcessSandbox) LocalSandbox.create(
                SandboxConfig.builder().slots(2).prestart(true).launchPath(Language.PYTHON3, LaunchPath.ZYGOTE)
                        .launchPath(Language.NODEJS, LaunchPath.PRESTARTED).build())) {
            SandboxStarts before = twoSlots.starts(); // the sandbox's own self-test ran a job already
            assertEquals(Status.OK, twoSlots.run(Job.of(Language.NODEJS, "")).status());
            Job python = Job.of(Language.PYTHON3, RAN_PRESTARTED);
            assertEquals("True\n", twoSlots.run(python).stdout(), "first Python job");
            assertEquals("True\n", twoSlots.run(python).stdout(), "second Python job");
            assertEquals(new SandboxStarts(before.prestarted() + 2, before.built() + 1), twoSlots.starts());
        }
    }

    @Test
    void theWallClockStartsWhenTheJobArrivesNotWhenItsSandboxWasPrestarted() throws Exception {
        Job job = Job.of(Language.PYTHON3, "import time\ntime.sleep(0.7)\nprint('slept')\n")
                .withLimits(JobLimits.DEFAULTS.withWallTimeMs(1000));
        prestarting.run(job);
        awaitPrestartedSandboxesOlderThan(Duration.ofMillis(1500)); // longer than the job's wall limit
        Result r = prestarting.run(job);
        assertAll(
                () -> assertEquals(Status.OK, r.status(), r::toString),
                () -> assertEquals("slept\n", r.stdout()),
                () -> assertTrue(r.usage().wallTimeMs() >= 700 && r.usage().wallTimeMs() < 1000,
                        "wall time " + r.usage().wallTimeMs() + " ms"));
    }

    @Test
    void aBusyLoopStillEndsAtItsWallLimit() throws Exception {
        Result r = prestarted(Job.of(Language.PYTHON3, "while True:\n    pass\n")
                .withLimits(JobLimits.DEFAULTS.withWallTimeMs(200)));
        assertAll(
                () -> assertEquals(Status.TIMEOUT, r.status(), r::toString),
                () -> assertTrue(r.usage().wallTimeMs() >= 200 && r.usage().wallTimeMs() < 300,
                        "wall time " + r.usage().wallTimeMs() + " ms not in [200, 300)"));
    }

    @Test
    void theInterpretersStartUpIsNotChargedToTheJob() throws Exception {
        Job job = Job.of(Language.PYTHON3, "pass\n");
        long built = Long.MAX_VALUE;
        long warm = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            built = Math.min(built, cold.run(job).usage().cpuTimeMs());
            warm = Math.min(warm, prestarted(job).usage().cpuTimeMs());
        }
        assertTrue(warm < built, "cpu ms of 'pass': prestarted " + warm + ", built for the job " + built);
    }

    /** What a template job says of itself: the sandbox may have Jinja2 warm for the jobs that follow. */
    private static Job expectingJinja2(String code) {
        return Job.of(Language.PYTHON3, code).withExpectedImports(Set.of("jinja2"));
    }

    /** The sandbox slots: with prestarting, twice the concurrency (SandboxConfig.sandboxSlots). */
    private static final int SANDBOX_SLOTS = 2;
    private static final String JINJA2_MAPPED = "print('markupsafe/_speedups' in open('/proc/self/maps').read())\n";

    /**
     * Runs {@code job} (which prints whether Jinja2's compiled part is mapped in it) until it ran
     * {@link #SANDBOX_SLOTS} times in a row with {@code mapped}: every slot's next sandbox (one is
     * built after each job, in the slot it ran in) then comes from the zygote that preloads Jinja2,
     * or from the one that does not. Fails after 20 jobs.
     */
    private static void runUntilEverySlot(Job job, boolean mapped) throws InterruptedException {
        int inARow = 0;
        for (int i = 0; i < 20 && inARow < SANDBOX_SLOTS; i++) {
            Result r = prestarting.run(job);
            assertEquals(Status.OK, r.status(), r::toString);
            inARow = r.stdout().equals(mapped ? "True\n" : "False\n") ? inARow + 1 : 0;
        }
        assertEquals(SANDBOX_SLOTS, inARow, "jobs in a row with Jinja2 " + (mapped ? "" : "not ") + "mapped");
    }

    /** Templates expected: every slot's next sandbox comes from the zygote with Jinja2. */
    private static void expectTemplates() throws InterruptedException {
        runUntilEverySlot(expectingJinja2(JINJA2_MAPPED), true);
    }

    /**
     * The zygote imports what function and template jobs import (json, and Jinja2 in the zygote of
     * a slot that runs templates) once; a job that imports one gets it handed over instead of
     * reading and running it again, and until then its sys.modules is a fresh interpreter's.
     * Handed over: importing Jinja2 from its files costs tens of milliseconds of CPU, taking it
     * over well under ten.
     */
    @Test
    void aJobOfTheZygoteIsHandedThePreloadedModulesItImports() throws Exception {
        expectTemplates();
        Result r = prestarting.run(expectingJinja2(RAN_PRESTARTED + """
                import resource, sys
                print('json' in sys.modules, 'jinja2' in sys.modules)
                def cpu():
                    u = resource.getrusage(resource.RUSAGE_SELF)
                    return u.ru_utime + u.ru_stime
                before = cpu()
                import jinja2, json
                took = cpu() - before
                print(jinja2.Template('{{ a }}').render(a=json.dumps([6 * 7])), type(json.__spec__.loader).__name__)
                print(took < 0.010, took)
                """));
        assertEquals(Status.OK, r.status(), r::toString);
        List<String> lines = r.stdout().lines().toList();
        assertEquals(List.of("True", "False False", "[42] SourceFileLoader"), lines.subList(0, 3), r::toString);
        assertTrue(lines.get(3).startsWith("True "), "Jinja2 and json taken over, not imported again: " + r.stdout());
    }

    /**
     * Jinja2 doubles a zygote's memory, which every job's processes copy: the sandboxes come from
     * the zygote that preloads it only while templates run (within the last
     * {@code TemplatesExpected.WINDOW} jobs, 16). Its compiled part (markupsafe's _speedups) is
     * mapped in a job exactly when it was preloaded: a template switches every slot over, and 16
     * code jobs switch them back.
     */
    @Test
    void jinja2IsPreloadedOnlyWhileTemplatesRun() throws Exception {
        Job code = Job.of(Language.PYTHON3, JINJA2_MAPPED);
        for (int i = 0; i < 16; i++) {
            prestarting.run(code); // whatever ran before: out of the window
        }
        runUntilEverySlot(code, false);
        expectTemplates();
        for (int i = 0; i < 16; i++) {
            prestarting.run(code);
        }
        runUntilEverySlot(code, false);
    }

    /**
     * A zygote killed under the worker: the launches handed to it fail or end before their job,
     * the jobs run all the same (in sandboxes built for them), and the next launch starts another
     * zygote.
     */
    @Test
    void jobsRunOnWhenTheZygoteIsKilledAndAnotherOneTakesItsPlace() throws Exception {
        prestarting.run(Job.of(Language.PYTHON3, "pass"));
        Set<Long> before = prestarting.pythonZygotes();
        assertFalse(before.isEmpty(), "a zygote runs");
        for (long pid : before) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (long pid : before) {
            Await.until(Duration.ofSeconds(5), () -> ProcessHandle.of(pid).isEmpty()
                    || ProcessHandle.of(pid).get().info().command().isEmpty(), () -> "zygote " + pid + " gone");
        }
        for (int i = 0; i < 6; i++) {
            Result r = prestarting.run(Job.of(Language.PYTHON3, "print('ran', 6 * 7)"));
            assertEquals(Status.OK, r.status(), r::toString);
            assertEquals("ran 42\n", r.stdout(), r::toString);
        }
        Set<Long> after = prestarting.pythonZygotes();
        assertFalse(after.isEmpty(), "another zygote runs");
        assertTrue(after.stream().noneMatch(before::contains), "not the killed one: " + before + " then " + after);
        Result forked = prestarting.run(Job.of(Language.PYTHON3, RAN_PRESTARTED
                + "print('forked' if 'libsandq-launcher.so' in open('/proc/self/maps').read() else 'exec')\n"));
        assertEquals("True\nforked\n", forked.stdout(), forked::toString);
    }

    /** A preloaded module is the job's own copy: what a job does to it never reaches the next job. */
    @Test
    void aJobsChangesToAPreloadedModuleDoNotReachTheNextJob() throws Exception {
        expectTemplates();
        Result tamper = prestarting.run(expectingJinja2(RAN_PRESTARTED + """
                import jinja2, json
                json.dumps = lambda *a, **k: 'tampered'
                jinja2.Template.render = lambda self, *a, **k: 'tampered'
                print(json.dumps(1), jinja2.Template('x').render(), 'markupsafe/_speedups' in open('/proc/self/maps').read())
                """));
        assertEquals("True\ntampered tampered True\n", tamper.stdout(), tamper::toString);
        Result next = prestarting.run(expectingJinja2(RAN_PRESTARTED + """
                import jinja2, json
                print(json.dumps(1), jinja2.Template('x').render())
                """));
        assertEquals("True\n1 x\n", next.stdout(), next::toString);
    }

    @Test
    void aJobFindsNothingOfThePreviousJobs() throws Exception {
        Job write = Job.of(Language.PYTHON3, "open('/tmp/left', 'w').write('x')\nopen('/tmp/output/out', 'w')\n"
                + "import os\nprint(sorted(os.listdir('/tmp')))\n");
        assertEquals("['left', 'output']\n", prestarting.run(write).stdout());
        Result next = prestarting.run(Job.of(Language.PYTHON3, RAN_PRESTARTED + "import os\nprint(os.listdir('/tmp'), "
                + "os.listdir('/tmp/output'), os.listdir('/sandbox'))\n"));
        assertEquals("True\n['output'] [] ['main.py']\n", next.stdout(), next::toString);
    }

    @Test
    void aPrestartedSandboxThatDiedWhileIdleIsReplacedAndTheJobStillRuns() throws Exception {
        Job job = Job.of(Language.PYTHON3, "print('ran')\n");
        prestarting.run(job);
        // One slot runs a job at a time, and two sandbox slots hold a prestarted sandbox each: all die.
        Set<Long> launchers = prestarting.prestartedLaunchers();
        assertEquals(2, launchers.size(), launchers::toString);
        for (long pid : launchers) {
            ProcessHandle launcher = ProcessHandle.of(pid).orElseThrow();
            ProcessHandle bootstrap = awaitInterpreter(launcher);
            assertTrue(bootstrap.destroyForcibly());
            launcher.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(launcher.isAlive());
        }

        Result r = prestarting.run(job);
        assertEquals(Status.OK, r.status(), r::toString);
        assertEquals("ran\n", r.stdout());
    }

    /**
     * The prestarted sandbox's interpreter, once the launcher has built the sandbox and started it:
     * the process named python3 or node in the launcher's job cgroup (init there is sandq-init),
     * whether the launcher exec'ed it or the Python zygote (ZYGOTE.md) forked it.
     */
    private static ProcessHandle awaitInterpreter(ProcessHandle launcher) {
        Path procs = Path.of("/sys/fs/cgroup/pids/sandq/job-" + launcher.pid(), "cgroup.procs");
        return Await.untilPresent(Duration.ofSeconds(10), Duration.ofMillis(10), () -> interpreterIn(procs),
                () -> "an interpreter in the cgroup of the prestarted launcher " + launcher.pid() + " (alive: "
                        + launcher.isAlive() + "; its cgroup.procs: "
                        + (Files.exists(procs) ? readQuietly(procs) : "no such cgroup") + ")");
    }

    private static Optional<ProcessHandle> interpreterIn(Path procs) throws Exception {
        if (!Files.exists(procs)) {
            return Optional.empty();
        }
        for (String pid : Files.readAllLines(procs)) {
            Path comm = Path.of("/proc", pid, "comm");
            if (Files.exists(comm) && List.of("python3", "node").contains(Files.readString(comm).strip())) {
                return ProcessHandle.of(Long.parseLong(pid));
            }
        }
        return Optional.empty();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "unreadable: " + e;
        }
    }

    /** Until every prestarted sandbox has waited {@code age} for a job: its launcher started that long ago. */
    private static void awaitPrestartedSandboxesOlderThan(Duration age) throws InterruptedException {
        Set<Long> launchers = prestarting.prestartedLaunchers();
        assertFalse(launchers.isEmpty(), "a sandbox is prestarted");
        Instant youngest = Instant.MIN;
        for (long pid : launchers) {
            Instant started = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                    .orElseThrow(() -> new AssertionError("no start time of the prestarted launcher " + pid));
            youngest = started.isAfter(youngest) ? started : youngest;
        }
        Instant old = youngest.plus(age);
        Await.until(age.plusSeconds(10), () -> Instant.now().isAfter(old),
                () -> "the prestarted launchers " + launchers + " to be " + age + " old");
    }
}
