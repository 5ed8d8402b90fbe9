package dev.sandq.executor.internal;

import dev.sandq.executor.InputFiles;
import dev.sandq.executor.Job;
import dev.sandq.executor.JobLimits;
import dev.sandq.executor.Language;
import dev.sandq.executor.LaunchPath;
import dev.sandq.executor.LaunchPathChoice;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.Result;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.executor.SandboxStarts;
import dev.sandq.executor.SandboxTimeline;
import dev.sandq.executor.SandboxUnavailableException;
import dev.sandq.executor.Status;
import dev.sandq.executor.egress.EgressProxy;
import dev.sandq.executor.internal.assets.SandboxAssets;
import dev.sandq.executor.internal.assets.SeccompProgramSource;
import dev.sandq.executor.internal.launch.LauncherBinary;
import dev.sandq.executor.internal.launch.LauncherRunner;
import dev.sandq.executor.internal.launch.SlotLaunches;
import dev.sandq.executor.internal.slots.SlotPool;
import dev.sandq.executor.internal.slots.SlotUids;
import dev.sandq.executor.internal.slots.Workspace;
import dev.sandq.executor.internal.warm.PrestartKey;
import dev.sandq.executor.internal.warm.PrestartPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The sandbox on this host: one launcher process per job, at most one job per sandbox slot, each
 * slot its own uid (root mode) and its own private directory for the job's code and status files,
 * and at most {@code slots} jobs at once. A job takes a free slot (one whose prestarted sandbox was
 * built for it, when there is one), runs in that sandbox or else in a fresh one, and leaves the
 * slot a sandbox prestarted for a job like it. With prestarting there are twice as many sandbox
 * slots ({@link SandboxConfig#sandboxSlots()}): the next job need not wait for its slot's sandbox
 * to be built after the last one.
 */
public final class ProcessSandbox implements Sandbox {
    private final SandboxConfig config;
    private final PrivilegeMode mode;
    private final Workspace workspace;
    private final SlotPool slots;
    private final SandboxAssets assets;
    private final SlotLaunches launches;
    private final LauncherRunner runner = new LauncherRunner();
    private final PrestartPool prestarts;
    private final Map<Language, LaunchPathChoice> launchPaths;
    /** The egress proxy, when this worker allows the network. */
    private final Optional<EgressProxy> egress;
    private final LongAdder prestartedJobs = new LongAdder();
    private final LongAdder builtJobs = new LongAdder();

    public ProcessSandbox(SandboxConfig config, PrivilegeMode mode, SeccompProgramSource seccomp)
            throws SandboxUnavailableException {
        if (mode == PrivilegeMode.AUTO) {
            throw new IllegalArgumentException("ProcessSandbox needs a resolved privilege mode, got AUTO");
        }
        this.config = config;
        this.mode = mode;
        this.workspace = new Workspace(config.sandboxSlots());
        if (!"none".equals(config.cgroupMode())) {
            StaleCgroups.remove(config.cgroupParent());
        }
        try {
            Path launcher = LauncherBinary.locate(config.launcher(), workspace);
            this.slots = new SlotPool(config.sandboxSlots(), config.slots());
            SlotUids uids = new SlotUids(mode, config.firstSlotUid());
            this.assets = SandboxAssets.prepare(config, uids, workspace, seccomp);
            Optional<Path> egressSocket = config.networkAllowed()
                    ? Optional.of(workspace.file("egress.sock")) : Optional.empty();
            this.launches = new SlotLaunches(launcher, uids, config.cgroupMode(), config.cgroupParent(), assets,
                    workspace, egressSocket, config.sandboxSlots(), config.files());
            this.prestarts = PrestartPool.create(config.prestart() && config.pythonZygote(), config.precompiledPython(),
                    mode, launcher, workspace, assets, launches, runner);
            this.launchPaths = new LaunchPathChooser(config, prestarts, launches, runner).choose(mode);
            prestarts.use(launchPaths.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().path())));
            this.egress = egressSocket.isPresent() ? Optional.of(startEgress(egressSocket.get())) : Optional.empty();
            prestarts.prestartEverySlot(config.sandboxSlots(), config.defaults().resolve(JobLimits.DEFAULTS, config.ceilings()));
            if (!"none".equals(config.cgroupMode())) {
                // Again, now that the launch paths were measured (seconds): the cgroups of a worker
                // killed just before this one started were too young for the first pass.
                StaleCgroups.remove(config.cgroupParent());
            }
        } catch (IOException e) {
            closeQuietly();
            throw new SandboxUnavailableException("cannot lay out the interpreters' shared libraries: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new SandboxUnavailableException("interrupted while measuring the launch paths", e);
        } catch (SandboxUnavailableException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** What a constructor that failed half-way has made: whatever of it exists. */
    private void closeQuietly() {
        if (prestarts != null) {
            prestarts.close();
        }
        runner.close();
        workspace.close();
    }

    /** Each job with the network may hold up to the launcher relay's 64 connections. */
    private EgressProxy startEgress(Path socket) throws SandboxUnavailableException {
        try {
            return EgressProxy.start(socket, config.egress(), config.egressProxy(), 64 * config.slots());
        } catch (IOException e) {
            throw new SandboxUnavailableException("cannot start the egress proxy on " + socket + ": " + e.getMessage(), e);
        }
    }

    public PrivilegeMode privilegeMode() {
        return mode;
    }

    /** What the shared-library view of a language holds and what building it cost, in one line. */
    public String librarySummary(Language language) {
        return assets.librarySummary(language);
    }

    @Override
    public Result run(Job job) throws InterruptedException {
        if (job.enableNetwork() && !config.networkAllowed()) {
            return Result.notRun(Status.REJECTED, Result.NETWORK_NOT_ALLOWED
                    + " (a worker started with --allow-network lets them run, through its egress proxy).");
        }
        Optional<String> badFiles = InputFiles.problem(job.files(), config.files());
        if (badFiles.isPresent()) {
            return Result.notRun(Status.REJECTED, badFiles.get());
        }
        SandboxLimits limits = config.defaults().resolve(job.limits(), config.ceilings());
        Optional<PrestartKey> key = prestarts.keyFor(job, limits);
        int slot = slots.acquire(prestarts.slotsFor(key));
        long acquired = System.nanoTime();
        try {
            Result result = runInSlot(job, limits, key, slot);
            return result.withTimeline(result.timeline().withSlotAcquired(acquired));
        } catch (IOException | UncheckedIOException e) {
            return Result.notRun(Status.INTERNAL_ERROR, "The sandbox failed: " + e.getMessage() + ".")
                    .withTimeline(SandboxTimeline.NONE.withSlotAcquired(acquired));
        } finally {
            slots.release(slot);
        }
    }

    /**
     * The job in the slot's prestarted sandbox when there is one built for it ({@code key}: empty
     * when none can be), else in a new one. Afterwards, the slot's next sandbox is prestarted for a
     * job like this one.
     */
    private Result runInSlot(Job job, SandboxLimits limits, Optional<PrestartKey> key, int slot)
            throws IOException, InterruptedException {
        Optional<Result> result = prestarts.run(slot, key, job, limits);
        if (result.isPresent()) {
            prestartedJobs.increment();
        } else if (!job.files().isEmpty()) {
            // The input files are written by the prestart bootstrap, inside the sandbox as the job's
            // uid, from the job's stdin (PrestartBootstrap.frame): a sandbox prestarted for the job
            // now is how a job with files runs when none was waiting for it. So one writer serves
            // every launch path, and the host never writes into a sandbox's files.
            result = prestarts.runStartedFor(LaunchPath.PRESTARTED, slot, job, limits);
            if (result.isEmpty()) {
                result = Optional.of(Result.notRun(Status.INTERNAL_ERROR,
                        "The sandbox started for the job ended before it got the job."));
            }
            builtJobs.increment();
        } else {
            result = Optional.of(runner.run(launches.fresh(slot, job, limits), job.stdin(), limits).result());
            builtJobs.increment();
        }
        key.ifPresent(k -> prestarts.prestartAfter(slot, k, job));
        return result.get();
    }

    @Override
    public int slots() {
        return slots.concurrency();
    }

    @Override
    public int busySlots() {
        return slots.busy();
    }

    @Override
    public long cleanupFailures() {
        return runner.cleanupFailures();
    }

    @Override
    public Map<Language, LaunchPathChoice> launchPaths() {
        return launchPaths;
    }

    @Override
    public SandboxStarts starts() {
        return new SandboxStarts(prestartedJobs.sum(), builtJobs.sum());
    }

    /** The Python zygotes' pids, when Python's prestarted sandboxes come from them (ZYGOTE.md). */
    public Set<Long> pythonZygotes() {
        return prestarts.pythonZygotes();
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
        return runner.awaitExits(timeoutMs);
    }

    @Override
    public void close() {
        prestarts.close();
        runner.close();
        egress.ifPresent(EgressProxy::close);
        workspace.close();
    }
}
