package dev.sandq.executor.internal;

import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.LaunchPath;
import dev.sandq.executor.LaunchPathChoice;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.Result;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.executor.SandboxUnavailableException;
import dev.sandq.executor.Status;
import dev.sandq.executor.internal.launch.LauncherRunner;
import dev.sandq.executor.internal.launch.SlotLaunches;
import dev.sandq.executor.internal.warm.PrestartPool;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses each language's {@link LaunchPath} when the sandbox starts: the pinned one, or else the
 * one whose trivial job costs this host the least CPU, measured here and now, where a warmer path
 * (zygote, then prestarted) within {@link #MARGIN} of the cheapest wins for its shorter latency
 * (the figures of one start-up are that noisy). Where forking a warm interpreter is dear
 * (copy-on-write faults on some virtual machines), the zygote then loses to a prestarted or fresh
 * interpreter, and jobs are never slower than a fresh start for it. The choice is made once per
 * JVM for sandboxes configured alike.
 *
 * <p>Each allowed path runs {@link #WARM_UP} jobs not counted, then {@code runs} jobs one after
 * another in slot 0, before any slot is prestarted. What is counted is every process involved:
 * this JVM (its pump threads) with the launchers it has waited for and their descendants, and
 * the zygote with the children it has waited for. Kernel work deferred to workqueues is not, and
 * is alike for every path.
 */
final class LaunchPathChooser {
    private static final Logger LOG = LoggerFactory.getLogger(LaunchPathChooser.class);
    static final int WARM_UP = 2;
    /** Node.js starts in about 60 ms of CPU, Python in about 10: fewer Node runs give as clear a ranking. */
    private static final Map<Language, Integer> RUNS = Map.of(Language.PYTHON3, 12, Language.NODEJS, 6);
    static final double MARGIN = 0.10;
    /** What was chosen for a configuration already, in this JVM. */
    private static final Map<Object, Map<Language, LaunchPathChoice>> CHOSEN = new ConcurrentHashMap<>();
    private static final Map<Language, String> TRIVIAL = Map.of(Language.PYTHON3, "pass", Language.NODEJS, "0;");
    private static final long LAUNCHER_EXIT_MS = 10_000;

    private final SandboxConfig config;
    private final PrestartPool prestarts;
    private final SlotLaunches launches;
    private final LauncherRunner runner;

    LaunchPathChooser(SandboxConfig config, PrestartPool prestarts, SlotLaunches launches, LauncherRunner runner) {
        this.config = config;
        this.prestarts = prestarts;
        this.launches = launches;
        this.runner = runner;
    }

    /** Each language's path, measured where more than one is allowed and possible. */
    Map<Language, LaunchPathChoice> choose(PrivilegeMode mode) throws SandboxUnavailableException,
            InterruptedException {
        // What the measurement depends on; the rest of a configuration (slots, egress, ...) does not change it.
        List<Object> key = List.of(mode, config.interpreters(), config.launcher(), config.defaults(),
                config.ceilings(), config.cgroupMode(), config.packagesRoot(), config.prestart(),
                config.pythonZygote(), config.launchPaths(), prestarts.zygoteAvailable());
        Map<Language, LaunchPathChoice> known = CHOSEN.get(key);
        if (known != null) {
            return known;
        }
        Map<Language, LaunchPathChoice> chosen = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            chosen.put(language, choose(language));
            LOG.info("{} jobs start by {}", language.wireName(), chosen.get(language).describe());
        }
        CHOSEN.put(key, Map.copyOf(chosen));
        // The measurement's garbage (dozens of launches' buffers) would otherwise keep the heap it
        // grew until a collection much later: the idle worker's footprint is that of serving jobs.
        System.gc();
        return chosen;
    }

    private LaunchPathChoice choose(Language language) throws SandboxUnavailableException, InterruptedException {
        Set<LaunchPath> allowed = config.allowedLaunchPaths(language);
        LaunchPath pinned = config.launchPaths().get(language);
        if (!prestarts.zygoteAvailable() && allowed.remove(LaunchPath.ZYGOTE) && pinned != null) {
            throw new SandboxUnavailableException("the launch path " + language.wireName()
                    + ":zygote is pinned, but this worker cannot have a Python zygote (it needs the root"
                    + " privilege mode and the launcher's library beside the launcher)");
        }
        if (pinned != null) {
            return new LaunchPathChoice(pinned, true, Map.of());
        }
        if (allowed.size() == 1) {
            return new LaunchPathChoice(allowed.iterator().next(), false, Map.of());
        }
        Map<LaunchPath, Duration> cpu = new EnumMap<>(LaunchPath.class);
        for (LaunchPath path : allowed) {
            cpu.put(path, cpuPerJob(path, language));
        }
        return new LaunchPathChoice(cheapestWithMargin(cpu), false, cpu);
    }

    /** The warmest path within {@link #MARGIN} of the cheapest. */
    static LaunchPath cheapestWithMargin(Map<LaunchPath, Duration> cpu) {
        Duration least = cpu.values().stream().min(Duration::compareTo).orElseThrow();
        long bound = Math.round(least.toNanos() * (1 + MARGIN));
        for (LaunchPath path : List.of(LaunchPath.ZYGOTE, LaunchPath.PRESTARTED, LaunchPath.FRESH)) {
            Duration d = cpu.get(path);
            if (d != null && d.toNanos() <= bound) {
                return path;
            }
        }
        throw new IllegalStateException("no path within " + MARGIN + " of the cheapest: " + cpu);
    }

    /** The CPU one trivial job of {@code language} costs the host by {@code path}. */
    private Duration cpuPerJob(LaunchPath path, Language language) throws SandboxUnavailableException,
            InterruptedException {
        Job job = Job.of(language, TRIVIAL.get(language));
        SandboxLimits limits = config.defaults().resolve(job.limits(), config.ceilings());
        for (int i = 0; i < WARM_UP; i++) {
            run(path, job, limits);
        }
        int runs = RUNS.get(language);
        Duration before = usedSoFar();
        for (int i = 0; i < runs; i++) {
            run(path, job, limits);
        }
        return usedSoFar().minus(before).dividedBy(runs);
    }

    private void run(LaunchPath path, Job job, SandboxLimits limits) throws SandboxUnavailableException,
            InterruptedException {
        Optional<Result> result;
        try {
            result = path == LaunchPath.FRESH
                    ? Optional.of(runner.run(launches.fresh(0, job, limits), job.stdin(), limits).result())
                    : prestarts.runStartedFor(path, 0, job, limits);
        } catch (IOException e) {
            throw new SandboxUnavailableException("a trivial " + job.language().wireName() + " job by the "
                    + path.wireName() + " launch path failed: " + e.getMessage(), e);
        }
        if (result.isEmpty() || result.get().status() != Status.OK) {
            throw new SandboxUnavailableException("a trivial " + job.language().wireName() + " job by the "
                    + path.wireName() + " launch path did not end ok: " + result.map(Result::toString).orElse("it never ran"));
        }
        // Its clean-up is part of what it costs.
        if (!runner.awaitExits(LAUNCHER_EXIT_MS)) {
            throw new SandboxUnavailableException("a launcher did not exit within " + LAUNCHER_EXIT_MS
                    + " ms of its trivial job");
        }
    }

    private Duration usedSoFar() {
        Duration jvm = ProcessCpu.withChildren(ProcessHandle.current().pid());
        return prestarts.pythonZygotes().stream().map(ProcessCpu::withChildren).reduce(jvm, Duration::plus);
    }
}
