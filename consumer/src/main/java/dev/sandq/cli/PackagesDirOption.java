package dev.sandq.cli;

import dev.sandq.executor.PackagesLayout;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --packages-dir}: the packages root, shared by the sandbox commands and {@code sandq deps}. */
public final class PackagesDirOption {

    @Option(names = "--packages-dir", paramLabel = "DIR",
            description = "Where `sandq deps install` puts the operator's packages; every sandbox mounts "
                    + "them read-only (default: " + "/var/lib/sandq/packages" + ").")
    Path packagesDir;

    /** The root given, made absolute; empty when not given. */
    public Optional<Path> given() {
        return Optional.ofNullable(packagesDir).map(Path::toAbsolutePath);
    }

    /** The root given, or the default. */
    public Path root() {
        return given().orElse(PackagesLayout.DEFAULT_ROOT);
    }
}
