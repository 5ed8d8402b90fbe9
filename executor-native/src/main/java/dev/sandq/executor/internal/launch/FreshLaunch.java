package dev.sandq.executor.internal.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A sandbox built for a job that is known: its code is copied in, and it runs the interpreter on
 * it at once.
 *
 * @param codeFile     the job's code on the host, copied to the profile's code path
 * @param egressSocket the worker's egress proxy socket when the job has the network
 *                     ({@code --egress-socket}); empty when it has not
 */
public record FreshLaunch(LaunchSettings settings, Path codeFile, Optional<Path> egressSocket) implements Launch {

    public FreshLaunch {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(codeFile, "codeFile");
        Objects.requireNonNull(egressSocket, "egressSocket");
    }

    @Override
    public List<String> argv() {
        List<String> copyIn = List.of("--copy-in", codeFile + ":" + settings.profile().codePath());
        return settings.commandLine(List.of(), settings.sandboxOptions(copyIn, egressSocket),
                settings.profile().commandLine());
    }
}
