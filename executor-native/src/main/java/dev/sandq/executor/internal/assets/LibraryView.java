package dev.sandq.executor.internal.assets;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A private copy of exactly the library paths of a {@link LibraryClosure}, laid out as on the
 * host under one directory of the worker's workspace (regular files hard-linked when the
 * filesystem and the kernel's protected_hardlinks allow it, else copied; symlinks recreated as
 * they are), and the few launcher mounts that show it in the sandbox: one read-only bind per
 * library directory (e.g. /usr/lib/x86_64-linux-gnu, /etc/alternatives, /usr/lib64) instead of
 * one per file. Paths whose directory cannot be bound whole without hiding other parts of the
 * profile (/lib -> usr/lib in /, a library directly in /usr/lib) get their own symlink or bind.
 *
 * @param mounts      launcher mounts, to put before the profile's own
 * @param roots       the bound directories of the view (host layout)
 * @param files       regular files in the view
 * @param bytes       their total size
 * @param copiedFiles how many of them had to be copied rather than linked
 * @param closure     what the view holds
 * @param closureMs   time spent computing the closure
 * @param buildMs     time spent laying out the view
 */
record LibraryView(List<MountEntry> mounts, List<String> roots, int files, long bytes, int copiedFiles,
                   LibraryClosure closure, long closureMs, long buildMs) {

    LibraryView {
        mounts = List.copyOf(mounts);
        roots = List.copyOf(roots);
    }

    /**
     * The libraries of one language profile: the closure of its interpreter, of every ELF module
     * under its extension directories and of its dlopen'ed libraries, laid out in {@code dir}.
     * The loader's cache, when there is one, is shown to the sandbox as it is: the closure was
     * resolved through it, so every name it maps that the profile needs is in the view (other
     * names the sandbox cannot open, and the loader then falls back to its default directories).
     */
    static LibraryView forProfile(LanguageProfile profile, Optional<LdCache> cache, Path dir) throws IOException {
        long start = System.nanoTime();
        List<Path> objects = new ArrayList<>();
        objects.add(profile.interpreter());
        for (Path extensionDir : profile.extensionDirs()) {
            objects.addAll(LibraryClosure.loadableObjectsUnder(extensionDir));
        }
        LibraryClosure closure = LibraryClosure.of(objects, profile.dlopenLibraries(), cache);
        long closed = System.nanoTime();
        Files.createDirectory(dir);
        LibraryView view = build(closure, profile.mountTargets(), dir);
        long built = System.nanoTime();
        List<MountEntry> mounts = new ArrayList<>(view.mounts());
        cache.ifPresent(c -> mounts.add(MountEntry.readOnly(c.file().toString())));
        return new LibraryView(mounts, view.roots(), view.files(), view.bytes(), view.copiedFiles(), closure,
                (closed - start) / 1_000_000, (built - closed) / 1_000_000);
    }

    /** One line for logs and reports. */
    String summary() {
        return files + " files, " + bytes / (1024 * 1024) + " MiB (" + copiedFiles + " copied), bound at " + roots
                + "; closure " + closureMs + " ms, layout " + buildMs + " ms"
                + (closure.unresolved().isEmpty() ? "" : "; not found on the host either: " + closure.unresolved());
    }

    /**
     * @param closure what the loader may open
     * @param targets every mount target of the profile: the closure's paths at or under one are
     *                in the sandbox already, and no bound directory of the view may contain one
     * @param dir     an empty directory to build the view in (removed with the workspace)
     */
    static LibraryView build(LibraryClosure closure, Collection<String> targets, Path dir) throws IOException {
        List<String> entries = closure.paths().stream()
                .filter(p -> targets.stream().noneMatch(t -> isUnderOrEqual(p, t))).toList();
        SortedSet<String> bindable = new TreeSet<>();
        for (String entry : entries) {
            String parent = parent(entry);
            if (!parent.equals("/") && targets.stream().noneMatch(t -> isUnderOrEqual(t, parent))) {
                bindable.add(parent);
            }
        }
        List<String> roots = bindable.stream().filter(d -> !isUnderAny(d, bindable)).toList();

        List<MountEntry> mounts = new ArrayList<>();
        for (String root : roots) {
            mounts.add(new MountEntry(MountEntry.Kind.RO_BIND, inView(dir, root).toString(), root));
        }
        int files = 0;
        int copied = 0;
        long bytes = 0;
        for (String entry : entries) {
            boolean inRoot = isUnderAny(entry, roots);
            String target = closure.symlinks().get(entry);
            if (target != null) {
                if (inRoot) {
                    Path link = inView(dir, entry);
                    createParents(dir, link);
                    Files.createSymbolicLink(link, Path.of(target));
                } else {
                    mounts.add(MountEntry.symlink(target, entry));
                }
                continue;
            }
            files++;
            bytes += Files.size(Path.of(entry));
            if (inRoot) {
                Path copy = inView(dir, entry);
                createParents(dir, copy);
                if (!link(Path.of(entry), copy)) {
                    copied++;
                }
            } else {
                mounts.add(MountEntry.readOnly(entry));
            }
        }
        return new LibraryView(mounts, roots, files, bytes, copied, closure, 0, 0);
    }

    /** Hard link, or copy when the link is refused; true when linked. */
    private static boolean link(Path source, Path copy) throws IOException {
        try {
            Files.createLink(copy, source);
            return true;
        } catch (FileSystemException e) {
            // EXDEV (another filesystem) or EPERM (protected_hardlinks: another user's file)
            Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            return false;
        }
    }

    /** mkdir -p inside the view, every directory 0755 whatever the umask. */
    private static void createParents(Path dir, Path file) throws IOException {
        Path parent = file.getParent();
        List<Path> missing = new ArrayList<>();
        for (Path p = parent; p != null && !p.equals(dir) && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            Files.createDirectory(p);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static Path inView(Path dir, String hostPath) {
        return dir.resolve(hostPath.substring(1));
    }

    private static boolean isUnderAny(String path, Collection<String> dirs) {
        return dirs.stream().anyMatch(d -> !d.equals(path) && isUnderOrEqual(path, d));
    }

    private static boolean isUnderOrEqual(String path, String dir) {
        return path.equals(dir) || dir.equals("/") || path.startsWith(dir + "/");
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
