package dev.sandq.executor.internal.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A prestarted sandbox whose interpreter is not exec'ed but forked by the zygote listening on
 * {@code zygoteSocket} (executor-native/ZYGOTE.md): the launcher runs as a stub
 * ({@code --zygote SOCKET}) that hands the same launch to the zygote.
 *
 * @param prestarted the launch the zygote makes
 */
public record ZygoteLaunch(PrestartedLaunch prestarted, Path zygoteSocket) implements Launch {

    /** Where a zygote's view binds the launcher's library. */
    public static final String LIBRARY_INSIDE = "/run/sandq/libsandq-launcher.so";

    public ZygoteLaunch {
        Objects.requireNonNull(prestarted, "prestarted");
        Objects.requireNonNull(zygoteSocket, "zygoteSocket");
    }

    @Override
    public LaunchSettings settings() {
        return prestarted.settings();
    }

    @Override
    public List<String> argv() {
        return settings().commandLine(List.of("--zygote", zygoteSocket.toString()), prestarted.options(),
                prestarted.program());
    }
}
