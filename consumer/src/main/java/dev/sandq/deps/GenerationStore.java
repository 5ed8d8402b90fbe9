package dev.sandq.deps;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * One language's installed trees ({@code DIR/generations/ID}) and the {@code DIR/current}
 * symlink that names the one jobs use. A new tree is installed beside the others and made
 * current with one rename(2) of a fresh symlink over the old one, so a job binds either the
 * old tree or the new one, never a half-installed one. Installs are serialised across
 * processes by a lock file. The previous tree is kept (jobs started before the switch still
 * use it); older ones are deleted.
 */
final class GenerationStore {
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Path dir;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    GenerationStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    Path current() {
        return dir.resolve("current");
    }

    Path generations() {
        return dir.resolve("generations");
    }

    /** The tree jobs use now, or empty when nothing was ever installed. */
    Optional<Path> currentTree() throws IOException {
        try {
            return Optional.of(current().toRealPath());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Work that holds this language's install lock, within this process and across processes. */
    interface LockedWork<T> {
        T run() throws IOException, InterruptedException, DependencyInstallException;
    }

    <T> T locked(LockedWork<T> work) throws IOException, InterruptedException, DependencyInstallException {
        IN_PROCESS.lockInterruptibly();
        try {
            createDirectory(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                return work.run();
            }
        } finally {
            IN_PROCESS.unlock();
        }
    }

    /** A new, empty tree (not yet current). */
    Path create() throws IOException {
        createDirectory(generations());
        byte[] suffix = new byte[4];
        random.nextBytes(suffix);
        Path tree = generations().resolve(ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(suffix));
        Files.createDirectory(tree);
        Files.setPosixFilePermissions(tree, DIR_MODE);
        return tree;
    }

    /** Makes {@code tree} readable by every slot's uid: directories a+rx, files a+r (a+x if u+x). */
    static void makeReadable(Path tree) throws IOException {
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(d, DIR_MODE);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
                    mode.add(PosixFilePermission.OWNER_READ);
                    mode.add(PosixFilePermission.GROUP_READ);
                    mode.add(PosixFilePermission.OTHERS_READ);
                    if (mode.contains(PosixFilePermission.OWNER_EXECUTE)) {
                        mode.add(PosixFilePermission.GROUP_EXECUTE);
                        mode.add(PosixFilePermission.OTHERS_EXECUTE);
                    }
                    Files.setPosixFilePermissions(f, mode);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Points {@code current} at {@code tree} atomically, then deletes every tree but the new one
     * and the one it replaces.
     */
    void activate(Path tree) throws IOException {
        Optional<Path> previous = currentTree();
        Path link = dir.resolve(".current-" + tree.getFileName());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, dir.relativize(tree));
        Files.move(link, current(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        prune(tree, previous);
    }

    /** Trees are compared by name (their ID): the paths may differ in symlinks above the root. */
    private void prune(Path keep, Optional<Path> previous) throws IOException {
        Set<Path> kept = new java.util.HashSet<>();
        kept.add(keep.getFileName());
        previous.ifPresent(p -> kept.add(p.getFileName()));
        try (Stream<Path> trees = Files.list(generations())) {
            for (Path t : (Iterable<Path>) trees::iterator) {
                if (!kept.contains(t.getFileName())) {
                    deleteTree(t);
                }
            }
        }
    }

    static void deleteTree(Path tree) throws IOException {
        if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void createDirectory(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            Files.createDirectories(d);
            Files.setPosixFilePermissions(d, DIR_MODE);
        }
    }
}
