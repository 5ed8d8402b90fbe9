package dev.sandq.executor.internal.warm;

import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.LaunchPath;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes started before their jobs (executor-native/LAUNCHER.md, {@code --prestart}): each slot
 * keeps one, built in the background for the job it is guessed to get next, with its interpreter
 * already running the bootstrap; a job that finds its slot's sandbox built for it is handed to it.
 * Which languages' jobs take this path, and whether Python's interpreters are forked by a zygote
 * (ZYGOTE.md), is each language's {@link LaunchPath}: until {@link #use} says, none.
 */
public final class PrestartPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrestartPool.class);

    private final SandboxAssets assets;
    private final SlotLaunches launches;
    private final LauncherRunner runner;
    private final PrestartedSandboxes sandboxes = new PrestartedSandboxes();
    private final TemplatesExpected templatesExpected = new TemplatesExpected();
    /** Forks the interpreters of Python's prestarted sandboxes; empty when they are exec'ed. */
    private volatile Optional<PythonZygotes> zygotes;
    private volatile Map<Language, LaunchPath> paths = Map.of();

    private PrestartPool(SandboxAssets assets, SlotLaunches launches, LauncherRunner runner,
                         Optional<PythonZygotes> zygotes) {
        this.assets = assets;
        this.launches = launches;
        this.runner = runner;
        this.zygotes = zygotes;
    }

    /**
     * The pool of a worker whose Python interpreters may come from a zygote when
     * {@code pythonZygote} and it can have one (root mode, the launcher's library beside
     * {@code launcher}), each compiling the {@code precompiled} Python programs once; nothing is
     * started yet.
     */
    public static PrestartPool create(boolean pythonZygote, List<String> precompiled, PrivilegeMode mode,
                                      Path launcher, Workspace workspace, SandboxAssets assets, SlotLaunches launches,
                                      LauncherRunner runner) throws IOException {
        return new PrestartPool(assets, launches, runner,
                PythonZygotes.ifPossible(pythonZygote, precompiled, mode, launcher, workspace));
    }

    /** Whether Python's interpreters can be forked from a zygote here. */
    public boolean zygoteAvailable() {
        return zygotes.isPresent();
    }

    /**
     * From now on each language's jobs take {@code chosen}'s path (a language without one: fresh).
     * The zygote goes when no language takes it.
     */
    public synchronized void use(Map<Language, LaunchPath> chosen) {
        if (chosen.containsValue(LaunchPath.ZYGOTE) && zygotes.isEmpty()) {
            throw new IllegalArgumentException("no Python zygote on this worker: " + chosen);
        }
        paths = Map.copyOf(chosen);
        if (!chosen.containsValue(LaunchPath.ZYGOTE)) {
            zygotes.ifPresent(PythonZygotes::close);
            zygotes = Optional.empty();
        }
    }

    private LaunchPath pathOf(Language language) {
        return paths.getOrDefault(language, LaunchPath.FRESH);
    }

    /**
     * What a sandbox for {@code job}, which runs with {@code limits}, is built for; empty when no
     * prestarted sandbox can serve it (its language's jobs start fresh).
     */
    public Optional<PrestartKey> keyFor(Job job, SandboxLimits limits) {
        if (pathOf(job.language()) == LaunchPath.FRESH) {
            return Optional.empty();
        }
        return Optional.of(new PrestartKey(job.language(), limits, assets.packagesTree(job.language()),
                job.enableNetwork()));
    }

    /** The slots whose sandbox is (being) built for jobs like {@code key}, those already built first. */
    public List<Integer> slotsFor(Optional<PrestartKey> key) {
        return key.map(sandboxes::slotsFor).orElse(List.of());
    }

    /**
     * Until a slot has run a job, its next one is guessed to be Python asking for
     * {@code defaultLimits} (Node.js when Python's jobs start fresh).
     */
    public void prestartEverySlot(int slots, SandboxLimits defaultLimits) {
        Optional<Language> guess = Stream.of(Language.PYTHON3, Language.NODEJS)
                .filter(l -> pathOf(l) != LaunchPath.FRESH).findFirst();
        if (guess.isEmpty()) {
            return;
        }
        PrestartKey key = new PrestartKey(guess.get(), defaultLimits, assets.packagesTree(guess.get()), false);
        for (int slot = 0; slot < slots; slot++) {
            prestart(slot, key);
        }
    }

    /** Starts {@code slot}'s next sandbox, for jobs like {@code key}, in the background. The slot must have none. */
    public void prestart(int slot, PrestartKey key) {
        boolean templates = templatesExpected.expected();
        sandboxes.start(slot, key, () -> launch(slot, key, templates));
    }

    /** As {@link #prestart(int, PrestartKey)}, after {@code job}, the slot's last (which tells whether templates are expected). */
    public void prestartAfter(int slot, PrestartKey key, Job job) {
        templatesExpected.ran(job);
        prestart(slot, key);
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
        return handOverOrStop(prestarted.get(), job, limits);
    }

    /**
     * {@code job} (a trivial one: what it costs is measured) in a sandbox started for it in
     * {@code slot} by {@code path}, prestarted or through the zygote; empty when it ended before it
     * got the job.
     */
    public Optional<Result> runStartedFor(LaunchPath path, int slot, Job job, SandboxLimits limits)
            throws IOException, InterruptedException {
        PrestartKey key = new PrestartKey(job.language(), limits, assets.packagesTree(job.language()),
                job.enableNetwork());
        return handOverOrStop(launch(slot, key, path == LaunchPath.ZYGOTE, TemplatesExpected.importsJinja2(job)), job,
                limits);
    }

    private Optional<Result> handOverOrStop(Prestarted prestarted, Job job, SandboxLimits limits)
            throws IOException, InterruptedException {
        try {
            return handOver(prestarted, job, limits);
        } catch (IOException | RuntimeException e) {
            PrestartedSandboxes.stop(prestarted); // never left waiting for a job that will not come
            throw e;
        }
    }

    /** A sandbox for a job like {@code key}'s, started now; its clocks start when it gets its code. */
    private Prestarted launch(int slot, PrestartKey key, boolean templates) throws IOException {
        return launch(slot, key, pathOf(key.language()) == LaunchPath.ZYGOTE, templates);
    }

    private Prestarted launch(int slot, PrestartKey key, boolean viaZygote, boolean templates) throws IOException {
        PrestartedLaunch launch = launches.prestarted(slot, key.language(), key.limits(), key.packagesTree(),
                key.network());
        Launch started = viaZygote && zygotes.isPresent() && key.language() == Language.PYTHON3
                ? zygotes.get().route(launch, new PythonZygotes.Kind(key.packagesTree(), key.network(), templates))
                : launch;
        return new Prestarted(runner.start(started), launch.statusFile(), launch.codeFile(),
                LauncherRunner.filesOut(launch));
    }

    /** Empty when the prestarted sandbox ended before it got the job: the job then never ran. */
    private Optional<Result> handOver(Prestarted prestarted, Job job, SandboxLimits limits)
            throws IOException, InterruptedException {
        // The code itself comes on stdin; this copy is for programs that read their own file.
        Files.writeString(prestarted.codeFile(), job.code(), StandardCharsets.UTF_8);
        LaunchOutcome outcome;
        try {
            outcome = runner.complete(prestarted.process(), prestarted.statusFile(), prestarted.filesOut(),
                    PrestartBootstrap.frame(job.code(), job.files(), job.stdin()), limits);
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

    /** The Python zygotes' pids (one per kind of launch they serve: with and without the network; ZYGOTE.md). */
    public synchronized Set<Long> pythonZygotes() {
        return zygotes.map(PythonZygotes::pids).orElse(Set.of());
    }

    /** The launchers of the slots' prestarted sandboxes (waiting for one being started). */
    public Set<Long> launcherPids() throws InterruptedException {
        return sandboxes.launcherPids();
    }

    /** Stops every prestarted sandbox and the zygote; a job that ends afterwards leaves its slot without one. */
    @Override
    public synchronized void close() {
        sandboxes.close();
        zygotes.ifPresent(PythonZygotes::close);
    }
}
