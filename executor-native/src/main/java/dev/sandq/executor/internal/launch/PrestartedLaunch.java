package dev.sandq.executor.internal.launch;

import dev.sandq.executor.Language;
import dev.sandq.executor.internal.assets.PrestartBootstrap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A sandbox built before its job is known ({@code --prestart}): its interpreter runs the prestart
 * bootstrap ({@link PrestartBootstrap}), which waits for the job's code on stdin.
 *
 * @param codeFile     where the job's code file will be written on the host once the job arrives:
 *                     its directory is bound read-only at the code path's, so that the file is
 *                     there as usual. Named as the profile's code path is
 * @param bootstrapDir the host directory of the bootstrap files, bound read-only at
 *                     {@link PrestartBootstrap#DIR_INSIDE}
 * @param egressSocket the worker's egress proxy socket when the sandbox is for a job with the
 *                     network ({@code --egress-socket}); empty when it is not. Such a sandbox's
 *                     interpreter comes from a zygote started with the network's environment
 */
public record PrestartedLaunch(LaunchSettings settings, Path codeFile, Path bootstrapDir, Optional<Path> egressSocket)
        implements Launch {

    public PrestartedLaunch {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(bootstrapDir, "bootstrapDir");
        Objects.requireNonNull(egressSocket, "egressSocket");
        String codeName = Path.of(settings.profile().codePath()).getFileName().toString();
        if (!codeFile.getFileName().toString().equals(codeName)) {
            throw new IllegalArgumentException("a prestarted sandbox's code file must be named " + codeName
                    + ", got " + codeFile);
        }
    }

    @Override
    public List<String> argv() {
        return settings.commandLine(List.of(), options(), program());
    }

    /** The same launch, its interpreter forked by the zygote listening on {@code socket}. */
    public ZygoteLaunch viaZygote(Path socket) {
        return new ZygoteLaunch(this, socket);
    }

    /** Whether the sandbox is for a job with the network. */
    public boolean network() {
        return egressSocket.isPresent();
    }

    /**
     * The command that starts a zygote for launches like this one, reporting to {@code statusFile}:
     * the launcher builds this launch's root, in a mount namespace of the zygote's own, and execs
     * the interpreter with this launch's options and environment (with the network, the proxy
     * variables too), running {@code zygoteSource} with the launcher's {@code library} bound at
     * {@link ZygoteLaunch#LIBRARY_INSIDE}, the modules to {@code preload} for the jobs, the
     * prestart bootstrap with its code path, and the {@code precompiled} programs: the zygote compiles the
     * bootstrap once, and the programs as the bootstrap would compile a job's code (ZYGOTE.md). The egress
     * socket is left out: each launch names its own, which only that launch's init uses; the zygote
     * never has the network.
     */
    public List<String> zygoteServerArgv(Path statusFile, Path socket, Path library, String zygoteSource,
                                         List<String> preload, List<String> precompiled) {
        if (settings.profile().language() != Language.PYTHON3) {
            throw new IllegalStateException("only Python's interpreter is forked by a zygote, not "
                    + settings.profile().language().wireName() + "'s");
        }
        LaunchSettings zygote = settings.withStatusFile(statusFile);
        List<String> options = new ArrayList<>(zygote.sandboxOptions(codeOptions(), egressSocket));
        int egress = options.indexOf("--egress-socket");
        if (egress >= 0) {
            options.subList(egress, egress + 2).clear();
        }
        LaunchSettings.add(options, "--ro-bind", library + ":" + ZygoteLaunch.LIBRARY_INSIDE);
        List<String> program = new ArrayList<>(settings.profile().arguments());
        // The program every launch runs with -c (the bootstrap), for the zygote to compile once (ZYGOTE.md).
        List<String> launched = program();
        program.addAll(List.of("-c", zygoteSource, ZygoteLaunch.LIBRARY_INSIDE, String.join(",", preload),
                launched.get(launched.indexOf("-c") + 1), launched.get(launched.size() - 1)));
        program.addAll(precompiled);
        return zygote.commandLine(List.of("--zygote-serve", socket.toString()), options, program);
    }

    /** The sandbox's options: every launch's, with the code directory and the bootstrap bound. */
    List<String> options() {
        return settings.sandboxOptions(codeOptions(), egressSocket);
    }

    /** The interpreter running the bootstrap. */
    List<String> program() {
        return settings.profile().prestartCommandLine();
    }

    private List<String> codeOptions() {
        return List.of("--prestart",
                "--ro-bind", codeFile.getParent() + ":" + Path.of(settings.profile().codePath()).getParent(),
                "--ro-bind", bootstrapDir + ":" + PrestartBootstrap.DIR_INSIDE);
    }
}
