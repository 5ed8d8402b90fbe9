package dev.sandq.executor.internal.launch;

import dev.sandq.executor.SandboxUnavailableException;
import dev.sandq.executor.internal.slots.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Finds the launcher: the configured path, else the {@code sandq.launcher} system property,
 * else the {@code SANDQ_LAUNCHER} environment variable, else the binary packaged in the jar
 * (copied into the worker's private workspace).
 */
public final class LauncherBinary {
    static final String RESOURCE = "/native/linux-x86_64/sandq-launcher";
    public static final String LIBRARY_NAME = "libsandq-launcher.so";
    private static final String LIBRARY_RESOURCE = "/native/linux-x86_64/" + LIBRARY_NAME;

    private LauncherBinary() {
    }

    /**
     * The launcher's library, for zygotes (ZYGOTE.md): beside the launcher, where {@link #locate}
     * unpacks it from the jar and where the build puts it; empty when it is not there.
     */
    public static Optional<Path> library(Path launcher) {
        Path library = launcher.resolveSibling(LIBRARY_NAME);
        return Files.isReadable(library) ? Optional.of(library) : Optional.empty();
    }

    public static Path locate(Optional<Path> configured, Workspace workspace) throws SandboxUnavailableException {
        Optional<Path> explicit = configured
                .or(() -> Optional.ofNullable(System.getProperty("sandq.launcher")).map(Path::of))
                .or(() -> Optional.ofNullable(System.getenv("SANDQ_LAUNCHER")).map(Path::of));
        if (explicit.isPresent()) {
            Path path = explicit.get().toAbsolutePath();
            if (!Files.isExecutable(path)) {
                throw new SandboxUnavailableException("the launcher " + path + " does not exist or is not executable");
            }
            return path;
        }
        try (InputStream in = LauncherBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new SandboxUnavailableException("no launcher: the jar has no " + RESOURCE
                        + " and neither sandq.launcher nor SANDQ_LAUNCHER is set");
            }
            Path target = workspace.file("sandq-launcher");
            try (InputStream library = LauncherBinary.class.getResourceAsStream(LIBRARY_RESOURCE)) {
                if (library != null) {
                    Path libraryTarget = workspace.file(LIBRARY_NAME);
                    Files.copy(library, libraryTarget, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(libraryTarget, PosixFilePermissions.fromString("r--------"));
                }
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r-x------"));
            return target;
        } catch (IOException e) {
            throw new SandboxUnavailableException("cannot unpack the launcher: " + e.getMessage(), e);
        }
    }
}
