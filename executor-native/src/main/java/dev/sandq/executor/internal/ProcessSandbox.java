package dev.sandq.executor.internal;

import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.PackagesLayout;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.Result;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.executor.SandboxStarts;
import dev.sandq.executor.SandboxUnavailableException;
import dev.sandq.executor.Status;
import dev.sandq.executor.egress.EgressProxy;
import dev.sandq.executor.internal.assets.LanguageProfile;
import dev.sandq.executor.internal.assets.LdCache;
import dev.sandq.executor.internal.assets.LibraryView;
import dev.sandq.executor.internal.assets.PrestartBootstrap;
import dev.sandq.executor.internal.assets.SeccompProgramSource;
import dev.sandq.executor.internal.launch.FreshLaunch;
import dev.sandq.executor.internal.launch.Launch;
import dev.sandq.executor.internal.launch.LaunchSettings;
import dev.sandq.executor.internal.launch.LauncherBinary;
import dev.sandq.executor.internal.launch.LauncherExits;
import dev.sandq.executor.internal.launch.LauncherStatus;
import dev.sandq.executor.internal.launch.OutputBudget;
import dev.sandq.executor.internal.launch.PrestartedLaunch;
import dev.sandq.executor.internal.launch.ResultMapper;
import dev.sandq.executor.internal.launch.StreamCapture;
import dev.sandq.executor.internal.slots.SlotPool;
import dev.sandq.executor.internal.slots.Workspace;
import dev.sandq.executor.internal.warm.PrestartKey;
import dev.sandq.executor.internal.warm.Prestarted;
import dev.sandq.executor.internal.warm.PrestartedSandboxes;
import dev.sandq.executor.internal.warm.PythonZygotes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox on this host: one launcher process per job, at most one job per slot, each slot
 * its own uid (root mode) and its own private directory for the job's code and status files.
 */
public final class ProcessSandbox implements Sandbox {
    /** How long past the wall limit the launcher may take to report before it counts as broken. */
    private static final long LAUNCHER_GRACE_MS = 10_000;

    private final SandboxConfig config;
    private final PrivilegeMode mode;
    private final Path launcher;
    private final Workspace workspace;
    private final SlotPool slots;
    private static final Logger LOG = LoggerFactory.getLogger(ProcessSandbox.class);

    private final Map<Language, LanguageProfile> profiles = new EnumMap<>(Language.class);
    private final Map<Language, LibraryView> libraryViews = new EnumMap<>(Language.class);
    private final Map<Language, Path> seccompOff = new EnumMap<>(Language.class);
    private final Map<Language, Path> seccompOn = new EnumMap<>(Language.class);
    private final Map<Integer, Map<String, Path>> etcFiles = new java.util.HashMap<>();
    /** The egress proxy, when this worker allows the network; null otherwise. */
    private final EgressProxy egress;
    private final PrestartedSandboxes prestarts = new PrestartedSandboxes();
    private final LauncherExits launcherExits = new LauncherExits();
    /** Numbers the launchers' status files: one each, kept until the launcher has exited. */
    private final AtomicLong launches = new AtomicLong();
    private final LongAdder prestartedJobs = new LongAdder();
    private final LongAdder builtJobs = new LongAdder();
    /** The prestart bootstraps, bound into every prestarted sandbox. */
    private final Path bootstrapDir;
    /** Forks the interpreters of Python's prestarted sandboxes; null when they are exec'ed. */
    private final PythonZygotes zygotes;
    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sandq-job-io");
        t.setDaemon(true);
        return t;
    });

    public ProcessSandbox(SandboxConfig config, PrivilegeMode mode, SeccompProgramSource seccomp)
            throws SandboxUnavailableException {
        if (mode == PrivilegeMode.AUTO) {
            throw new IllegalArgumentException("ProcessSandbox needs a resolved privilege mode, got AUTO");
        }
        this.config = config;
        this.mode = mode;
        this.workspace = new Workspace(config.slots());
        try {
            this.launcher = LauncherBinary.locate(config.launcher(), workspace);
            this.slots = new SlotPool(config.slots());
            Optional<LdCache> ldCache = LdCache.load(LdCache.DEFAULT);
            for (Language language : Language.values()) {
                Path interpreter = config.interpreters().get(language);
                if (interpreter == null || !Files.isExecutable(interpreter)) {
                    throw new SandboxUnavailableException("the " + language.wireName() + " interpreter "
                            + interpreter + " does not exist or is not executable");
                }
                LanguageProfile profile = LanguageProfile.forLanguage(language, interpreter, config.packagesRoot());
                LibraryView libraries = LibraryView.forProfile(profile, ldCache,
                        workspace.file("libraries-" + language.wireName()));
                LOG.debug("{} libraries: {}", language.wireName(), libraries.summary());
                libraryViews.put(language, libraries);
                profiles.put(language, profile.withLibraries(libraries.mounts()));
                seccompOff.put(language, writeProgram(language, false, seccomp));
                if (config.networkAllowed()) {
                    seccompOn.put(language, writeProgram(language, true, seccomp));
                }
            }
            for (int slot = 0; slot < config.slots(); slot++) {
                writeAccountFiles(slot);
                Files.createDirectories(prestartedCodeDir(slot));
            }
            this.bootstrapDir = workspace.file("prestart");
            PrestartBootstrap.writeFiles(bootstrapDir);
            this.zygotes = pythonZygotes();
            this.egress = config.networkAllowed() ? startEgress() : null;
            prestartEverySlot();
        } catch (IOException e) {
            workspace.close();
            throw new SandboxUnavailableException("cannot lay out the interpreters' shared libraries: " + e.getMessage(), e);
        } catch (SandboxUnavailableException | RuntimeException e) {
            workspace.close();
            throw e;
        }
    }

    private PythonZygotes pythonZygotes() throws IOException {
        if (!config.prestart() || !config.pythonZygote()) {
            return null;
        }
        if (mode != PrivilegeMode.ROOT) {
            LOG.info("Python's prestarted sandboxes start their interpreter by execve: a zygote needs the root mode");
            return null;
        }
        Optional<Path> library = LauncherBinary.library(launcher);
        if (library.isEmpty()) {
            LOG.warn("Python's prestarted sandboxes start their interpreter by execve: no {} beside {}",
                    LauncherBinary.LIBRARY_NAME, launcher);
            return null;
        }
        return new PythonZygotes(library.get(), Files.createDirectories(workspace.file("zygotes")));
    }

    /** Until a slot has run a job, its next one is guessed to be Python asking for the default limits. */
    private void prestartEverySlot() {
        if (!config.prestart()) {
            return;
        }
        PrestartKey key = new PrestartKey(Language.PYTHON3,
                config.defaults().resolve(dev.sandq.executor.JobLimits.DEFAULTS, config.ceilings()),
                packagesTree(Language.PYTHON3));
        for (int slot = 0; slot < config.slots(); slot++) {
            int s = slot;
            prestarts.start(slot, key, () -> prestart(s, key));
        }
    }

    /**
     * The generation of the operator's packages a sandbox built now would bind for {@code language}
     * (the real path behind the {@code current} symlink), or "" when there is none.
     */
    private String packagesTree(Language language) {
        if (config.packagesRoot().isEmpty()) {
            return "";
        }
        Path installed = PackagesLayout.importRoot(PackagesLayout.hostRoot(config.packagesRoot().get()), language);
        try {
            return installed.toRealPath().toString();
        } catch (IOException notInstalled) {
            return "";
        }
    }

    /** Each job with the network may hold up to the launcher relay's 64 connections. */
    private EgressProxy startEgress() throws SandboxUnavailableException {
        Path socket = workspace.file("egress.sock");
        try {
            return EgressProxy.start(socket, config.egress(), config.egressProxy(), 64 * config.slots());
        } catch (IOException e) {
            throw new SandboxUnavailableException("cannot start the egress proxy on " + socket + ": " + e.getMessage(), e);
        }
    }

    private Path writeProgram(Language language, boolean network, SeccompProgramSource seccomp) {
        Path file = workspace.file("seccomp-" + language.wireName() + (network ? "-network" : "") + ".bpf");
        try {
            Files.write(file, seccomp.program(language, network));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
        return file;
    }

    private int uidOf(int slot) {
        return mode == PrivilegeMode.USERNS ? 1000 : config.firstSlotUid() + slot;
    }

    /**
     * The few /etc files a job sees, written once per slot: its account (so that getpass and
     * os.path.expanduser work), and name resolution that finds localhost without any network.
     */
    private void writeAccountFiles(int slot) {
        int uid = uidOf(slot);
        Path dir = workspace.slotDir(slot);
        Map<String, String> files = Map.of(
                "/etc/passwd", "sandbox:x:" + uid + ":" + uid + ":sandbox:/tmp:/nonexistent\n",
                "/etc/group", "sandbox:x:" + uid + ":\n",
                "/etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
                "/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
        Map<String, Path> onHost = new java.util.TreeMap<>();
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path host = dir.resolve(file.getKey().substring("/etc/".length()));
                Files.writeString(host, file.getValue());
                onHost.put(file.getKey(), host);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the /etc files of slot " + slot, e);
        }
        etcFiles.put(slot, Map.copyOf(onHost));
    }

    public PrivilegeMode privilegeMode() {
        return mode;
    }

    /** What the shared-library view of a language holds and what building it cost, in one line. */
    public String librarySummary(Language language) {
        return libraryViews.get(language).summary();
    }

    @Override
    public Result run(Job job) throws InterruptedException {
        if (job.enableNetwork() && !config.networkAllowed()) {
            return Result.notRun(Status.REJECTED, "This worker does not allow jobs to use the network.");
        }
        SandboxLimits limits = config.defaults().resolve(job.limits(), config.ceilings());
        PrestartKey key = prestartable(job) ? new PrestartKey(job.language(), limits, packagesTree(job.language())) : null;
        int slot = slots.acquire(key == null ? Set.of() : prestarts.slotsFor(key));
        try {
            return runInSlot(job, limits, key, slot);
        } catch (IOException | UncheckedIOException e) {
            return Result.notRun(Status.INTERNAL_ERROR, "The sandbox failed: " + e.getMessage() + ".");
        } finally {
            slots.release(slot);
        }
    }

    /**
     * The job in the slot's prestarted sandbox when there is one built for it ({@code key}: null
     * when none can be), else in a new one. Afterwards, the slot's next sandbox is prestarted for a
     * job like this one.
     */
    private Result runInSlot(Job job, SandboxLimits limits, PrestartKey key, int slot)
            throws IOException, InterruptedException {
        Optional<Prestarted> prestarted = prestarts.take(slot, key);
        Optional<Result> result = Optional.empty();
        if (prestarted.isPresent()) {
            try {
                result = runPrestarted(prestarted.get(), job, limits);
            } catch (IOException | RuntimeException e) {
                PrestartedSandboxes.stop(prestarted.get()); // never left waiting for a job that will not come
                throw e;
            }
        }
        if (result.isEmpty()) {
            result = Optional.of(runCold(job, limits, slot));
            builtJobs.increment();
        } else {
            prestartedJobs.increment();
        }
        if (key != null) {
            prestarts.start(slot, key, () -> prestart(slot, key));
        }
        return result.get();
    }

    private boolean prestartable(Job job) {
        return config.prestart() && !job.enableNetwork();
    }

    private Result runCold(Job job, SandboxLimits limits, int slot) throws IOException, InterruptedException {
        Path code = workspace.slotDir(slot).resolve("code");
        Path status = newStatusFile(slot);
        Files.writeString(code, job.code(), StandardCharsets.UTF_8);
        LaunchSettings settings = new LaunchSettings(launcher, mode, uidOf(slot), config.cgroupMode(),
                config.cgroupParent(), profiles.get(job.language()), limits,
                (job.enableNetwork() ? seccompOn : seccompOff).get(job.language()), status, etcFiles.get(slot));
        Launch command = new FreshLaunch(settings, code,
                job.enableNetwork() ? Optional.of(egress.socket()) : Optional.empty());
        Process process = new ProcessBuilder(command.argv()).start();
        LaunchOutcome launch = complete(process, status, job.stdin(), limits);
        return launch.result();
    }

    /** A status file no other launcher uses: a launcher may still be cleaning up when the slot's next one starts. */
    private Path newStatusFile(int slot) {
        return workspace.slotDir(slot).resolve("status-" + launches.incrementAndGet() + ".json");
    }

    /** Where a prestarted sandbox's code file is written: bound read-only at the code path's directory. */
    private Path prestartedCodeDir(int slot) {
        return workspace.slotDir(slot).resolve("prestarted-code");
    }

    /** A sandbox for a job like {@code key}'s, started now; its clocks start when it gets its code. */
    private Prestarted prestart(int slot, PrestartKey key) throws IOException {
        Path status = newStatusFile(slot);
        LanguageProfile profile = profiles.get(key.language());
        if (!key.packagesTree().isEmpty()) {
            // The generation the key names, not the symlink: a later switch must not reach this sandbox unseen.
            profile = profile.withMountSource(PackagesLayout.inside(key.language()), key.packagesTree());
        }
        Path code = prestartedCodeDir(slot).resolve(Path.of(profile.codePath()).getFileName().toString());
        Files.deleteIfExists(code);
        LaunchSettings settings = new LaunchSettings(launcher, mode, uidOf(slot), config.cgroupMode(),
                config.cgroupParent(), profile, key.limits(), seccompOff.get(key.language()), status, etcFiles.get(slot));
        PrestartedLaunch prestarted = new PrestartedLaunch(settings, code, bootstrapDir);
        Launch command = zygotes != null && key.language() == Language.PYTHON3
                ? zygotes.route(prestarted, key.packagesTree())
                : prestarted;
        return new Prestarted(new ProcessBuilder(command.argv()).start(), status, code);
    }

    /** Empty when the prestarted sandbox ended before it got the job: the job then never ran. */
    private Optional<Result> runPrestarted(Prestarted prestarted, Job job, SandboxLimits limits)
            throws IOException, InterruptedException {
        // The code itself comes on stdin; this copy is for programs that read their own file.
        Files.writeString(prestarted.codeFile(), job.code(), StandardCharsets.UTF_8);
        LaunchOutcome launch;
        try {
            launch = complete(prestarted.process(), prestarted.statusFile(),
                    PrestartBootstrap.frame(job.code(), job.stdin()), limits);
        } finally {
            Files.deleteIfExists(prestarted.codeFile());
        }
        if (!launch.status().jobStarted()) {
            LOG.warn("a prestarted sandbox ended before its job started ({}); running the job in a new one",
                    launch.status());
            return Optional.empty();
        }
        return Optional.of(launch.result());
    }

    /** How one launcher ended, and what that means for its job. */
    private record LaunchOutcome(LauncherStatus status, Result result) {
    }

    /**
     * Feeds the launcher its stdin, collects its output and reads its status line. The launcher
     * lets go of the output pipes once it has written that line, when every process of the job is
     * gone: the job is over at their end of file. The launcher's own clean-up goes on from there
     * without delaying the result, and {@link LauncherExits} follows it to its exit.
     */
    private LaunchOutcome complete(Process process, Path status, byte[] stdinBytes, SandboxLimits limits)
            throws IOException, InterruptedException {
        // ProcessHandle.destroy() only signals (SIGTERM): Process.destroy() would also close our pipes.
        OutputBudget budget = new OutputBudget(limits.maxOutputBytes(), () -> process.toHandle().destroy());
        StreamCapture stdout = new StreamCapture(process.getInputStream(), budget);
        StreamCapture stderr = new StreamCapture(process.getErrorStream(), budget);
        Future<?> out = pumps.submit(stdout);
        Future<?> err = pumps.submit(stderr);
        Future<?> in = pumps.submit(() -> feed(process.getOutputStream(), stdinBytes));
        LauncherStatus launcherStatus;
        try {
            awaitOutputEnd(List.of(out, err), limits.wallTimeMs() + LAUNCHER_GRACE_MS);
            in.cancel(true);
            // Ours to close now: the JDK would only close it once the launcher has exited, after its clean-up.
            process.getOutputStream().close();
            launcherStatus = reportedStatus(process, status, stderr);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        } finally {
            launcherExits.follow(process, status);
        }
        return new LaunchOutcome(launcherStatus, ResultMapper.map(launcherStatus, stdout.bytes(), stderr.bytes(),
                stdout.truncated(), stderr.truncated(), budget.exceeded(), limits));
    }

    /** The job may never read its stdin; a broken pipe then is expected, not an error. */
    private static void feed(OutputStream stdin, byte[] data) {
        try (stdin) {
            stdin.write(data);
        } catch (IOException expectedWhenTheJobIgnoresStdin) {
            // nothing to do: the job ended or closed its stdin
        }
    }

    private static void awaitOutputEnd(List<Future<?>> pumps, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (Future<?> pump : pumps) {
            try {
                pump.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("output pump failed", e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("the launcher did not finish within " + LAUNCHER_GRACE_MS + " ms of the wall limit");
            }
        }
    }

    /** The status line. A launcher that let go of its pipes without writing one has died: its exit code says how. */
    private static LauncherStatus reportedStatus(Process process, Path status, StreamCapture stderr)
            throws IOException, InterruptedException {
        Optional<String> line = LauncherStatus.line(status);
        if (line.isEmpty()) {
            if (!process.waitFor(LAUNCHER_GRACE_MS, TimeUnit.MILLISECONDS)) {
                throw new IOException("the launcher closed its output without a status line and did not exit");
            }
            line = LauncherStatus.line(status);
        }
        if (line.isEmpty()) {
            byte[] message = stderr.bytes();
            throw new IOException("the launcher exited with code " + process.exitValue() + " without a status line"
                    + (message.length > 0 ? " (" + ResultMapper.decode(message).strip() + ")" : ""));
        }
        return LauncherStatus.parse(line.get());
    }

    @Override
    public int slots() {
        return slots.size();
    }

    @Override
    public int busySlots() {
        return slots.busy();
    }

    @Override
    public long cleanupFailures() {
        return launcherExits.cleanupFailures();
    }

    @Override
    public SandboxStarts starts() {
        return new SandboxStarts(prestartedJobs.sum(), builtJobs.sum());
    }

    /** The Python zygote's pid, when Python's prestarted sandboxes come from one (ZYGOTE.md). */
    public Optional<Long> pythonZygote() {
        return zygotes == null ? Optional.empty() : zygotes.pid();
    }

    /** The launchers of the slots' prestarted sandboxes (waiting for one being started). */
    public Set<Long> prestartedLaunchers() throws InterruptedException {
        return prestarts.launcherPids();
    }

    /**
     * Waits until the launchers of finished jobs have cleaned up after them and exited, which they
     * do after the job's result (close() waits for them too). False when some still run at the timeout.
     */
    public boolean awaitLauncherExits(long timeoutMs) throws InterruptedException {
        return launcherExits.awaitAll(timeoutMs);
    }

    @Override
    public void close() {
        prestarts.close();
        if (zygotes != null) {
            zygotes.close();
        }
        try {
            if (!launcherExits.awaitAll(LAUNCHER_GRACE_MS)) {
                LOG.warn("{} launchers were still cleaning up after their jobs at close", launcherExits.running());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pumps.shutdownNow();
        if (egress != null) {
            egress.close();
        }
        workspace.close();
    }
}
