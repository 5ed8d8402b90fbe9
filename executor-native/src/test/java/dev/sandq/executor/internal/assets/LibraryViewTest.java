package dev.sandq.executor.internal.assets;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The library closure against the host's real loader, and the view laid out from it. */
@Fast
@Timeout(60)
class LibraryViewTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)". */
    private static final Pattern LISTED = Pattern.compile("^\\s*(?:\\S+ => )?(/\\S+) \\(0x[0-9a-f]+\\)$");

    private final List<Path> cleanup = new ArrayList<>();

    @AfterEach
    void removeViews() throws IOException {
        for (Path dir : cleanup) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void extensionModulesAreFoundThroughASymlinkedDirectory() throws Exception {
        Path root = Files.createTempDirectory("sandq-library-test");
        cleanup.add(root);
        Path generation = Files.createDirectories(root.resolve("gen-1").resolve("pkg"));
        Path module = generation.resolve("_speedups.cpython-311-x86_64-linux-gnu.so");
        Files.copy(Path.of("/lib/x86_64-linux-gnu/libc.so.6").toRealPath(), module);
        Files.writeString(generation.resolve("not_elf.so"), "text");
        Path current = Files.createSymbolicLink(root.resolve("current"), Path.of("gen-1"));

        assertEquals(List.of(module.toRealPath()), LibraryClosure.loadableObjectsUnder(current),
                "the packages tree is bound through its 'current' symlink");
    }

    @Test
    void closureHoldsEverythingTheHostLoaderOpensForPythonAndItsExtensions() throws Exception {
        LanguageProfile profile = LanguageProfile.python3(PYTHON);
        List<Path> objects = new ArrayList<>(List.of(PYTHON));
        for (Path dir : profile.extensionDirs()) {
            objects.addAll(LibraryClosure.loadableObjectsUnder(dir));
        }
        LibraryClosure closure = LibraryClosure.of(objects, profile.dlopenLibraries(), LdCache.load(LdCache.DEFAULT));

        List<Path> checked = new ArrayList<>(List.of(PYTHON));
        objects.stream().filter(p -> p.getFileName().toString()
                .matches("(_ssl|_sqlite3|_ctypes|_multiarray_umath|_hashlib|_decimal)\\..*")).forEach(checked::add);
        assertTrue(checked.size() >= 6, "extension modules found: " + checked);
        List<String> missing = new ArrayList<>();
        for (Path object : checked) {
            for (String listed : loaderList(object)) {
                Path asLookedUp = Path.of(listed).getParent().toRealPath().resolve(Path.of(listed).getFileName());
                if (!closure.paths().contains(asLookedUp.toString())
                        || !closure.files().contains(Path.of(listed).toRealPath().toString())) {
                    missing.add(listed + " (for " + object + ")");
                }
            }
        }
        assertAll(
                () -> assertEquals(List.of(), missing, "opened by ld.so but not in the closure"),
                () -> assertTrue(closure.files().stream().anyMatch(f -> f.endsWith("/libgcc_s.so.1")),
                        "libgcc_s.so.1, which libc opens for pthread_cancel: " + closure.files()),
                () -> assertFalse(closure.paths().stream().anyMatch(p -> p.startsWith("/usr/bin/")),
                        "the interpreter is bound by the profile, not through the closure: " + closure.paths()));
    }

    @Test
    void viewHardLinksTheLibrariesAndKeepsTheirSymlinks() throws Exception {
        Path dir = Files.createTempDirectory("sandq-libview-test");
        cleanup.add(dir);
        LanguageProfile profile = LanguageProfile.python3(PYTHON);
        LibraryView view = LibraryView.forProfile(profile, LdCache.load(LdCache.DEFAULT), dir.resolve("python3"));
        System.err.println("python3 library view: " + view.summary());
        Path root = dir.resolve("python3");

        List<String> problems = new ArrayList<>();
        for (String file : view.closure().files()) {
            Path copy = root.resolve(file.substring(1));
            if (Files.exists(copy) && !Files.isSameFile(copy, Path.of(file))) {
                problems.add(file + " copied although the view is on the same filesystem as root's files");
            }
        }
        for (var link : view.closure().symlinks().entrySet()) {
            Path copy = root.resolve(link.getKey().substring(1));
            if (Files.exists(copy, LinkOption.NOFOLLOW_LINKS)
                    && !Files.readSymbolicLink(copy).toString().equals(link.getValue())) {
                problems.add(link.getKey() + " does not point at " + link.getValue());
            }
        }
        List<String> targets = profile.mountTargets();
        assertAll(
                () -> assertEquals(List.of(), problems),
                () -> assertTrue(view.roots().contains("/usr/lib/x86_64-linux-gnu"), "roots " + view.roots()),
                () -> assertTrue(view.roots().size() <= 4, "one bind per library directory, not per file: " + view.roots()),
                () -> assertTrue(Files.isRegularFile(root.resolve("usr/lib/x86_64-linux-gnu/libc.so.6")), "libc in the view"),
                () -> assertFalse(Files.exists(root.resolve("usr/lib/x86_64-linux-gnu/gio")), "nothing the closure lacks"),
                () -> assertTrue(view.roots().stream().noneMatch(r -> targets.stream().anyMatch(t -> t.startsWith(r + "/"))),
                        "a view directory would hide a profile mount: " + view.roots()),
                () -> assertTrue(view.mounts().stream().anyMatch(m -> m.target().equals("/lib64")
                        && m.kind() == MountEntry.Kind.SYMLINK), "the loader's /lib64 path: " + view.mounts()));
    }

    @Test
    void nodeViewHoldsOnlyWhatTheNodeBinaryNeeds() throws Exception {
        Path node = Path.of("/usr/bin/node");
        Path dir = Files.createTempDirectory("sandq-libview-test");
        cleanup.add(dir);
        LibraryView view = LibraryView.forProfile(LanguageProfile.nodejs(node), LdCache.load(LdCache.DEFAULT),
                dir.resolve("nodejs"));
        System.err.println("nodejs library view: " + view.summary());
        List<String> expected = new ArrayList<>();
        for (String listed : loaderList(node)) {
            expected.add(Path.of(listed).toRealPath().toString());
        }
        assertTrue(view.closure().files().containsAll(expected), view.closure().files() + " lacks some of " + expected);
        assertTrue(view.files() < 20, "node needs a handful of libraries, the view has " + view.summary());
    }

    @Test
    void elfReaderReadsNeededAndRunpathAndSkipsNonElfFiles() throws Exception {
        ElfDynamic python = ElfDynamic.read(PYTHON.toRealPath()).orElseThrow();
        assertAll(
                () -> assertTrue(python.needed().contains("libc.so.6"), python.toString()),
                () -> assertEquals(Optional.of("/lib64/ld-linux-x86-64.so.2"), python.interpreter()),
                () -> assertEquals(Optional.empty(), ElfDynamic.read(Path.of("/etc/passwd"))));
    }

    /** What glibc's own loader resolves for one object: `ld.so --list`, the engine behind ldd. */
    private static List<String> loaderList(Path object) throws Exception {
        Process p = new ProcessBuilder("/lib64/ld-linux-x86-64.so.2", "--list", object.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ld.so --list " + object);
        assertEquals(0, p.exitValue(), "ld.so --list " + object + ": " + out);
        List<String> paths = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = LISTED.matcher(line);
            if (m.matches()) {
                paths.add(m.group(1));
            }
        }
        assertFalse(paths.isEmpty(), "nothing parsed from ld.so --list " + object + ":\n" + out);
        return paths;
    }
}
