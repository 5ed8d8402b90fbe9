package dev.sandq.executor.internal.warm;

import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.Result;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.executor.internal.assets.PrestartBootstrap;
import dev.sandq.executor.internal.assets.SandboxAssets;
import dev.sandq.executor.internal.launch.Launch;
import dev.sandq.executor.internal.launch.LaunchOutcome;
import dev.sandq.executor.internal.launch.LauncherRunner;
import dev.sandq.executor.internal.launch.PrestartedLaunch;
import dev.sandq.executor.internal.launch.SlotLaunches;
import dev.sandq.executor.internal.slots.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes started before their jobs (executor-native/LAUNCHER.md, {@code --prestart}): each slot
 * keeps one, built in the background for the job it is guessed to get next, with its interpreter
 * already running the bootstrap; a job that finds its slot's sandbox built for it is handed to it.
 * Python's interpreters are forked by a zygote when the worker can have one (ZYGOTE.md).
 */
public final class PrestartPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrestartPool.class);

    private final boolean enabled;
    private final SandboxAssets assets;
    private final SlotLaunches launches;
    private final LauncherRunner runner;
    private final PrestartedSandboxes sandboxes = new PrestartedSandboxes();
    /** Forks the interpreters of Python's prestarted sandboxes; empty when they are exec'ed. */
    private final Optional<PythonZygotes> zygotes;

    private PrestartPool(boolean enabled, SandboxAssets assets, SlotLaunches launches, LauncherRunner runner,
                         Optional<PythonZygotes> zygotes) {
        this.enabled = enabled;
        this.assets = assets;
        this.launches = launches;
        this.runner = runner;
        this.zygotes = zygotes;
    }

    /**
     * The pool of a worker that prestarts ({@code enabled}) or not, whose Python interpreters come
     * from a zygote when {@code pythonZygote} and it can have one (root mode, the launcher's
     * library beside {@code launcher}); nothing is started yet.
     */
    public static PrestartPool create(boolean enabled, boolean pythonZygote, PrivilegeMode mode, Path launcher,
                                      Workspace workspace, SandboxAssets assets, SlotLaunches launches,
                                      LauncherRunner runner) throws IOException {
        return new PrestartPool(enabled, assets, launches, runner,
                PythonZygotes.ifPossible(enabled && pythonZygote, mode, launcher, workspace));
    }

    /**
     * What a sandbox for {@code job}, which runs with {@code limits}, is built for; empty when no
     * prestarted sandbox can serve it (prestarting is off, or the job has the network).
     */
    public Optional<PrestartKey> keyFor(Job job, SandboxLimits limits) {
        if (!enabled || job.enableNetwork()) {
            return Optional.empty();
        }
        return Optional.of(new PrestartKey(job.language(), limits, assets.packagesTree(job.language())));
    }

    /** The slots whose sandbox is (being) built for jobs like {@code key}, those already built first. */
    public List<Integer> slotsFor(Optional<PrestartKey> key) {
        return key.map(sandboxes::slotsFor).orElse(List.of());
    }

    /** Until a slot has run a job, its next one is guessed to be Python asking for {@code defaultLimits}. */
    public void prestartEverySlot(int slots, SandboxLimits defaultLimits) {
        if (!enabled) {
            return;
        }
        PrestartKey key = new PrestartKey(Language.PYTHON3, defaultLimits, assets.packagesTree(Language.PYTHON3));
        for (int slot = 0; slot < slots; slot++) {
            prestart(slot, key);
        }
    }

    /** Starts {@code slot}'s next sandbox, for jobs like {@code key}, in the background. The slot must have none. */
    public void prestart(int slot, PrestartKey key) {
        sandboxes.start(slot, key, () -> launch(slot, key));
    }

    /**
     * {@code job} in {@code slot}'s prestarted sandbox, when it has one built for {@code key} (empty:
     * the job can be served by none). Any other is stopped: the slot has none afterwards either way.
     * Empty when there was none, or when it ended before it got the job: the job then never ran.
     */
    public Optional<Result> run(int slot, Optional<PrestartKey> key, Job job, SandboxLimits limits)
            throws IOException, InterruptedException {
        Optional<Prestarted> prestarted = sandboxes.take(slot, key.orElse(null));
        if (prestarted.isEmpty()) {
            return Optional.empty();
        }
        try {
            return handOver(prestarted.get(), job, limits);
        } catch (IOException | RuntimeException e) {
            PrestartedSandboxes.stop(prestarted.get()); // never left waiting for a job that will not come
            throw e;
        }
    }

    /** A sandbox for a job like {@code key}'s, started now; its clocks start when it gets its code. */
    private Prestarted launch(int slot, PrestartKey key) throws IOException {
        PrestartedLaunch launch = launches.prestarted(slot, key.language(), key.limits(), key.packagesTree());
        Launch started = zygotes.isPresent() && key.language() == Language.PYTHON3
                ? zygotes.get().route(launch, key.packagesTree())
                : launch;
        return new Prestarted(runner.start(started), launch.statusFile(), launch.codeFile());
    }

    /** Empty when the prestarted sandbox ended before it got the job: the job then never ran. */
    private Optional<Result> handOver(Prestarted prestarted, Job job, SandboxLimits limits)
            throws IOException, InterruptedException {
        // The code itself comes on stdin; this copy is for programs that read their own file.
        Files.writeString(prestarted.codeFile(), job.code(), StandardCharsets.UTF_8);
        LaunchOutcome outcome;
        try {
            outcome = runner.complete(prestarted.process(), prestarted.statusFile(),
                    PrestartBootstrap.frame(job.code(), job.stdin()), limits);
        } finally {
            Files.deleteIfExists(prestarted.codeFile());
        }
        if (!outcome.status().jobStarted()) {
            LOG.warn("a prestarted sandbox ended before its job started ({}); running the job in a new one",
                    outcome.status());
            return Optional.empty();
        }
        return Optional.of(outcome.result());
    }

    /** The Python zygote's pid, when Python's prestarted sandboxes come from one (ZYGOTE.md). */
    public Optional<Long> pythonZygote() {
        return zygotes.flatMap(PythonZygotes::pid);
    }

    /** The launchers of the slots' prestarted sandboxes (waiting for one being started). */
    public Set<Long> launcherPids() throws InterruptedException {
        return sandboxes.launcherPids();
    }

    /** Stops every prestarted sandbox and the zygote; a job that ends afterwards leaves its slot without one. */
    @Override
    public void close() {
        sandboxes.close();
        zygotes.ifPresent(PythonZygotes::close);
    }
}
