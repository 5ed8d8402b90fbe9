package dev.sandq.executor.internal.assets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every host path the dynamic loader may open for a set of ELF objects: the transitive closure
 * of their PT_INTERP and DT_NEEDED entries, resolved the way glibc's ld.so does (DT_RPATH of the
 * object and its loaders unless the object has DT_RUNPATH, then DT_RUNPATH, then
 * /etc/ld.so.cache, then the default directories; $ORIGIN is the directory of the path the
 * object was opened by, not of its symlink-resolved file). Where the loader would pick one of
 * several candidates by CPU (glibc-hwcaps sub-directories, several cache entries), all are kept.
 *
 * <p>The result keeps the paths as the loader looks them up: every symlink met on the way (at
 * its location with parent directories resolved, e.g. libblas.so.3 -> /etc/alternatives/... ->
 * openblas-pthread/libblas.so.3, or /lib64 -> usr/lib64) and the regular files they end at.
 *
 * @param symlinks   symlink path (parents resolved) -> its target, as written
 * @param files      regular files (fully resolved paths)
 * @param unresolved "name (needed by path)" for names the host's loader would not find either,
 *                   and objects that are not readable ELF files
 */
record LibraryClosure(SortedMap<String, String> symlinks, SortedSet<String> files, List<String> unresolved) {
    /** glibc's compiled-in search path on Debian x86-64, after the cache. */
    private static final List<String> DEFAULT_DIRS =
            List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib");
    private static final List<String> HWCAPS = List.of("x86-64-v4", "x86-64-v3", "x86-64-v2");
    private static final int MAX_SYMLINKS = 40;

    LibraryClosure {
        symlinks = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(symlinks));
        files = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(files));
        unresolved = List.copyOf(unresolved);
    }

    /**
     * @param objects         ELF objects opened by path (the interpreter, extension modules)
     * @param dlopenLibraries names libc opens by itself (libgcc_s.so.1 for thread cancellation)
     * @param cache           the loader's cache the sandbox will see, if any
     */
    static LibraryClosure of(List<Path> objects, List<String> dlopenLibraries, Optional<LdCache> cache)
            throws IOException {
        Walk walk = new Walk(cache);
        for (Path object : objects) {
            walk.enqueue(object.toString(), List.of(), false);
        }
        for (String name : dlopenLibraries) {
            List<String> found = walk.search(name, List.of(), List.of());
            if (found.isEmpty()) {
                walk.unresolved.add(name + " (opened by libc)");
            }
            for (String path : found) {
                walk.enqueue(path, List.of(), true);
            }
        }
        walk.run();
        return new LibraryClosure(walk.symlinks, walk.files, walk.unresolved);
    }

    /**
     * The ELF files under a directory tree that a program may load by path (x.so, x.so.1, x.node).
     * The directory may be a symlink (the packages tree's {@code current}): walked where it points.
     */
    static List<Path> loadableObjectsUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var paths = Files.walk(dir.toRealPath())) {
            return paths.filter(p -> {
                String name = p.getFileName().toString();
                return (name.endsWith(".so") || name.contains(".so.") || name.endsWith(".node"))
                        && Files.isRegularFile(p) && ElfDynamic.isElf(p);
            }).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** All paths of the closure: symlinks and files. */
    SortedSet<String> paths() {
        SortedSet<String> all = new TreeSet<>(files);
        all.addAll(symlinks.keySet());
        return all;
    }

    private static final class Walk {
        private final Optional<LdCache> cache;
        private final Deque<Opened> queue = new ArrayDeque<>();
        private final Set<String> seen = new HashSet<>();
        private final Map<String, Optional<ElfDynamic>> parsed = new HashMap<>();
        private final SortedMap<String, String> symlinks = new TreeMap<>();
        private final SortedSet<String> files = new TreeSet<>();
        private final List<String> unresolved = new ArrayList<>();

        Walk(Optional<LdCache> cache) {
            this.cache = cache;
        }

        /**
         * An object as the loader opened it, with the expanded DT_RPATH of the objects that
         * loaded it. Objects given by the caller (the interpreter, extension modules) are in the
         * sandbox already and are not recorded; only what they load is.
         */
        private record Opened(String path, List<String> inheritedRpath, boolean recorded) {
        }

        void enqueue(String path, List<String> inheritedRpath, boolean recorded) {
            if (seen.add(path + "\0" + String.join(":", inheritedRpath) + "\0" + recorded)) {
                queue.add(new Opened(path, inheritedRpath, recorded));
            }
        }

        void run() throws IOException {
            while (!queue.isEmpty()) {
                Opened o = queue.poll();
                String real = o.recorded() ? resolve(o.path(), 0) : Path.of(o.path()).toRealPath().toString();
                Optional<ElfDynamic> elf = parsed.get(real);
                if (elf == null) {
                    try {
                        elf = ElfDynamic.read(Path.of(real));
                    } catch (IOException e) {
                        // a damaged module cannot be loaded in the sandbox either; it must not stop the worker
                        unresolved.add("unreadable " + o.path() + " (" + e.getMessage() + ")");
                        elf = Optional.empty();
                    }
                    parsed.put(real, elf);
                }
                if (elf.isEmpty()) {
                    continue;
                }
                ElfDynamic dyn = elf.get();
                String origin = parent(o.path());
                dyn.interpreter().ifPresent(interp -> enqueue(interp, List.of(), true));
                List<String> rpath = new ArrayList<>();
                if (dyn.runpath().isEmpty()) {
                    rpath.addAll(expand(dyn.rpath(), origin));
                    rpath.addAll(o.inheritedRpath());
                }
                List<String> runpath = expand(dyn.runpath(), origin);
                // DT_RPATH is inherited by what this object loads; DT_RUNPATH is not
                List<String> inherit = new ArrayList<>(expand(dyn.rpath(), origin));
                inherit.addAll(o.inheritedRpath());
                for (String name : dyn.needed()) {
                    List<String> found = search(name, rpath, runpath);
                    if (found.isEmpty()) {
                        unresolved.add(name + " (needed by " + o.path() + ")");
                    }
                    for (String path : found) {
                        enqueue(path, inherit, true);
                    }
                }
            }
        }

        /** The paths the loader may open for a DT_NEEDED name; empty when it finds none. */
        List<String> search(String name, List<String> rpath, List<String> runpath) {
            if (name.contains("/")) {
                return Files.isRegularFile(Path.of(name)) ? List.of(name) : List.of();
            }
            for (List<String> dirs : List.of(rpath, runpath)) {
                List<String> found = inDirectories(name, dirs);
                if (!found.isEmpty()) {
                    return found;
                }
            }
            List<String> cached = cache.map(c -> c.lookup(name)).orElse(List.of()).stream()
                    .filter(p -> Files.isRegularFile(Path.of(p))).toList();
            if (!cached.isEmpty()) {
                return cached;
            }
            return inDirectories(name, DEFAULT_DIRS);
        }

        /** In the first directory that has the name: the name there and in its glibc-hwcaps variants. */
        private static List<String> inDirectories(String name, List<String> dirs) {
            for (String dir : dirs) {
                List<String> found = new ArrayList<>();
                for (String hwcap : HWCAPS) {
                    String candidate = dir + "/glibc-hwcaps/" + hwcap + "/" + name;
                    if (Files.isRegularFile(Path.of(candidate))) {
                        found.add(candidate);
                    }
                }
                String plain = dir + "/" + name;
                if (Files.isRegularFile(Path.of(plain))) {
                    found.add(plain);
                }
                if (!found.isEmpty()) {
                    return found;
                }
            }
            return List.of();
        }

        /** $ORIGIN, $LIB and $PLATFORM as glibc expands them (both spellings of $LIB are kept). */
        private static List<String> expand(List<String> dirs, String origin) {
            List<String> out = new ArrayList<>();
            for (String dir : dirs) {
                String d = dir.replace("${ORIGIN}", origin).replace("$ORIGIN", origin)
                        .replace("${PLATFORM}", "x86_64").replace("$PLATFORM", "x86_64");
                if (d.contains("$LIB") || d.contains("${LIB}")) {
                    out.add(d.replace("${LIB}", "lib/x86_64-linux-gnu").replace("$LIB", "lib/x86_64-linux-gnu"));
                    out.add(d.replace("${LIB}", "lib").replace("$LIB", "lib"));
                } else if (!d.contains("$") && d.startsWith("/")) {
                    out.add(d);
                }
            }
            return out;
        }

        /**
         * The fully resolved path, recording each symlink met (at its parent-resolved location)
         * and the regular file reached.
         */
        private String resolve(String path, int depth) throws IOException {
            String current = walkComponents("/", path, depth);
            if (!Files.isRegularFile(Path.of(current))) {
                throw new IOException(path + " resolves to " + current + ", which is not a regular file");
            }
            files.add(current);
            return current;
        }

        private String walkComponents(String start, String path, int depth) throws IOException {
            if (depth > MAX_SYMLINKS) {
                throw new IOException("too many levels of symbolic links resolving " + path);
            }
            String current = path.startsWith("/") ? "/" : start;
            for (String part : path.split("/")) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    current = parent(current);
                    continue;
                }
                String next = current.equals("/") ? "/" + part : current + "/" + part;
                Path p = Path.of(next);
                if (Files.isSymbolicLink(p)) {
                    String target = Files.readSymbolicLink(p).toString();
                    symlinks.put(next, target);
                    current = walkComponents(current, target, depth + 1);
                } else {
                    current = next;
                }
            }
            return current;
        }

        private static String parent(String path) {
            int slash = path.lastIndexOf('/');
            return slash <= 0 ? "/" : path.substring(0, slash);
        }
    }
}
