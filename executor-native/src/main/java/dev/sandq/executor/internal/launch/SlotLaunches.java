package dev.sandq.executor.internal.launch;

import dev.sandq.executor.FileLimits;
import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.executor.internal.assets.LanguageProfile;
import dev.sandq.executor.internal.assets.SandboxAssets;
import dev.sandq.executor.internal.slots.SlotUids;
import dev.sandq.executor.internal.slots.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the launches of the worker's slots: their settings (the slot's uid and /etc files, the
 * language's profile and seccomp program, the worker's cgroup settings), and their code and status
 * files in the slot's private directory.
 */
public final class SlotLaunches {
    private final Path launcher;
    private final PrivilegeMode mode;
    private final SlotUids uids;
    private final String cgroupMode;
    private final String cgroupParent;
    private final SandboxAssets assets;
    private final Workspace workspace;
    /** The egress proxy's socket, when this worker allows the network. */
    private final Optional<Path> egressSocket;
    /** Numbers the launchers' status files: one each, kept until the launcher has exited. */
    private final AtomicLong launches = new AtomicLong();

    /** Every job's output files are copied out within these. */
    private final FileLimits fileLimits;

    /** Creates each slot's directory for prestarted sandboxes' code. */
    public SlotLaunches(Path launcher, SlotUids uids, String cgroupMode, String cgroupParent, SandboxAssets assets,
                        Workspace workspace, Optional<Path> egressSocket, int slots, FileLimits fileLimits)
            throws IOException {
        this.fileLimits = fileLimits;
        this.launcher = launcher;
        this.mode = uids.mode();
        this.uids = uids;
        this.cgroupMode = cgroupMode;
        this.cgroupParent = cgroupParent;
        this.assets = assets;
        this.workspace = workspace;
        this.egressSocket = egressSocket;
        for (int slot = 0; slot < slots; slot++) {
            Files.createDirectories(prestartedCodeDir(slot));
        }
    }

    /** A sandbox for {@code job} in {@code slot}, its code written to the slot's code file. */
    public FreshLaunch fresh(int slot, Job job, SandboxLimits limits) throws IOException {
        if (job.enableNetwork() && egressSocket.isEmpty()) {
            throw new IllegalStateException("a job with the network on a worker that does not allow it");
        }
        Path code = workspace.slotDir(slot).resolve("code");
        long n = launches.incrementAndGet();
        Path status = statusFile(slot, n);
        Files.writeString(code, job.code(), StandardCharsets.UTF_8);
        LaunchSettings settings = settings(slot, assets.profile(job.language()), limits,
                assets.seccompProgram(job.language(), job.enableNetwork()), status, filesOut(slot, n));
        return new FreshLaunch(settings, code, job.enableNetwork() ? egressSocket : Optional.empty());
    }

    /**
     * A sandbox in {@code slot} for a job of {@code language} with {@code limits}, and with the
     * network or not, that is not known yet, binding the operator's packages from
     * {@code packagesTree} ({@link SandboxAssets#profile(Language, String)}).
     */
    public PrestartedLaunch prestarted(int slot, Language language, SandboxLimits limits, String packagesTree,
                                       boolean network) throws IOException {
        if (network && egressSocket.isEmpty()) {
            throw new IllegalStateException("a sandbox with the network on a worker that does not allow it");
        }
        long n = launches.incrementAndGet();
        Path status = statusFile(slot, n);
        LanguageProfile profile = assets.profile(language, packagesTree);
        Path code = prestartedCodeDir(slot).resolve(Path.of(profile.codePath()).getFileName().toString());
        Files.deleteIfExists(code);
        return new PrestartedLaunch(settings(slot, profile, limits, assets.seccompProgram(language, network), status,
                filesOut(slot, n)), code, assets.bootstrapDir(), network ? egressSocket : Optional.empty());
    }

    private LaunchSettings settings(int slot, LanguageProfile profile, SandboxLimits limits, Path seccompFile,
                                    Path statusFile, LaunchSettings.FilesOut filesOut) {
        return new LaunchSettings(launcher, mode, uids.of(slot), cgroupMode, cgroupParent, profile, limits, seccompFile,
                statusFile, assets.etcFiles(slot), Optional.of(filesOut));
    }

    /** A status file no other launcher uses: a launcher may still be cleaning up when the slot's next one starts. */
    private Path statusFile(int slot, long launch) {
        return workspace.slotDir(slot).resolve("status-" + launch + ".json");
    }

    /** The launch's files-out file (outputs.c), beside its status file in the slot's private directory. */
    private LaunchSettings.FilesOut filesOut(int slot, long launch) {
        return new LaunchSettings.FilesOut(workspace.slotDir(slot).resolve("files-" + launch + ".out"),
                fileLimits.maxOutputFiles(), fileLimits.maxOutputBytes());
    }

    /** Where a prestarted sandbox's code file is written: bound read-only at the code path's directory. */
    private Path prestartedCodeDir(int slot) {
        return workspace.slotDir(slot).resolve("prestarted-code");
    }
}
