package dev.sandq.executor.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The worker's private directory (0700): one sub-directory per slot holding the current job's
 * code and status files, and the compiled seccomp programs. Never visible inside a sandbox;
 * removed on close.
 */
final class Workspace implements AutoCloseable {
    private final Path root;

    Workspace(int slots) {
        try {
            root = Files.createTempDirectory("sandq-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            for (int i = 0; i < slots; i++) {
                Files.createDirectory(slotDir(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("creating the sandbox workspace", e);
        }
    }

    Path root() {
        return root;
    }

    Path slotDir(int slot) {
        return root.resolve("slot-" + slot);
    }

    Path file(String name) {
        return root.resolve(name);
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("removing the sandbox workspace " + root, e);
        }
    }
}
