package dev.sandq.executor.internal.slots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The worker's private directories (0700), never visible inside a sandbox and removed on close:
 * the main one under the temp directory (compiled seccomp programs, the library views, which
 * hard-link the host's libraries and so must sit on their file system), and one sub-directory
 * per slot for the current job's code, /etc files and status line. The slots' files are written
 * and removed for every job, so they go to a tmpfs ({@code /dev/shm}) when there is a usable one:
 * on a disk file system (ext4 mounted with discard, here) that alone costs about 0.5 ms a job.
 * Workspaces left by workers that died are removed when the next one starts ({@link StaleWorkspaces}).
 */
public final class Workspace implements AutoCloseable {
    static final Path SHARED_MEMORY = Path.of("/dev/shm");
    static final String MAIN_PREFIX = "sandq";
    static final String SLOTS_PREFIX = "sandq-slots";
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path root;
    /** Where the slot directories are: a directory of its own on tmpfs, or {@link #root}. */
    private final Path slotsRoot;

    public Workspace(int slots) {
        this(Path.of(System.getProperty("java.io.tmpdir")), onTmpfs(), slots);
    }

    /** In {@code parent}, the slots in {@code slotsParent} when given; stale workspaces there are removed first. */
    Workspace(Path parent, Optional<Path> slotsParent, int slots) {
        StaleWorkspaces.remove(parent, MAIN_PREFIX);
        slotsParent.ifPresent(p -> StaleWorkspaces.remove(p, SLOTS_PREFIX));
        Path created = null;
        Path slotsCreated = null;
        try {
            created = Files.createTempDirectory(parent, StaleWorkspaces.namePrefix(MAIN_PREFIX), PRIVATE);
            slotsCreated = slotsParent.isPresent()
                    ? Files.createTempDirectory(slotsParent.get(), StaleWorkspaces.namePrefix(SLOTS_PREFIX), PRIVATE)
                    : created;
            for (int i = 0; i < slots; i++) {
                Files.createDirectory(slotsCreated.resolve("slot-" + i));
            }
        } catch (IOException e) {
            if (slotsCreated != created) {
                removeQuietly(slotsCreated, e);
            }
            removeQuietly(created, e);
            throw new UncheckedIOException("creating the sandbox workspace", e);
        }
        this.root = created;
        this.slotsRoot = slotsCreated;
    }

    /** {@code /dev/shm} when it is a writable tmpfs directory. */
    private static Optional<Path> onTmpfs() {
        try {
            return Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY)
                    && "tmpfs".equals(Files.getFileStore(SHARED_MEMORY).type())
                    ? Optional.of(SHARED_MEMORY) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Path root() {
        return root;
    }

    public Path slotDir(int slot) {
        return slotsRoot.resolve("slot-" + slot);
    }

    public Path file(String name) {
        return root.resolve(name);
    }

    @Override
    public void close() {
        if (!slotsRoot.equals(root)) {
            remove(slotsRoot);
        }
        remove(root);
    }

    private static void remove(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("removing the sandbox workspace " + dir, e);
        }
    }

    private static void removeQuietly(Path dir, IOException cause) {
        if (dir == null) {
            return;
        }
        try {
            remove(dir);
        } catch (UncheckedIOException e) {
            cause.addSuppressed(e);
        }
    }
}
