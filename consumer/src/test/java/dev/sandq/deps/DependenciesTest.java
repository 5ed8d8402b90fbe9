package dev.sandq.deps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.PackagesLayout;
import dev.sandq.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Installing and listing with the real pip and npm, from packages the test builds (no index). */
@Slow
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DependenciesTest {
    @TempDir
    Path dir;

    private Path root;
    private Path wheels;
    private final List<String> output = new ArrayList<>();

    @BeforeEach
    void setUp() {
        root = dir.resolve("packages");
        wheels = dir.resolve("wheels");
    }

    private Dependencies deps() {
        return TestPackages.dependencies(TestPackages.offline(root, wheels).build(), output);
    }

    private void requirements(String text) throws Exception {
        TestPackages.write(dir.resolve("python-requirements.txt"), text);
    }

    @Test
    void pythonWheelFromALocalDirectoryIsInstalledAndListed() throws Exception {
        TestPackages.wheel(wheels, "sandq_testpkg", "1.2.3");
        requirements("# only from the local wheel directory\nsandq_testpkg==1.2.3\n");

        List<InstalledPackage> installed = deps().install(Language.PYTHON3);

        assertEquals(List.of(new InstalledPackage("sandq_testpkg", "1.2.3")), installed, output::toString);
        assertEquals(installed, deps().list(Language.PYTHON3));
        assertEquals(List.of(), deps().list(Language.NODEJS));
        Path current = PackagesLayout.current(root, Language.PYTHON3);
        assertFalse(Files.readSymbolicLink(current).isAbsolute(), "the launcher needs a relative symlink");
        Path module = current.resolve("sandq_testpkg/__init__.py");
        assertEquals("VERSION = '1.2.3'\n", Files.readString(module));
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(module);
        assertTrue(mode.contains(PosixFilePermission.OTHERS_READ), "slot uids must read the tree: " + mode);
        assertTrue(Files.getPosixFilePermissions(current.toRealPath()).contains(PosixFilePermission.OTHERS_EXECUTE));
        assertTrue(deps().summary().startsWith("python3: sandq_testpkg 1.2.3; nodejs: none"), deps().summary());
    }

    @Test
    void eachInstallSwitchesToAFreshTreeKeepingOnlyThePreviousOne() throws Exception {
        TestPackages.wheel(wheels, "sandq_testpkg", "2.0.0");
        Path languageDir = PackagesLayout.languageDir(root, Language.PYTHON3);
        requirements("# nothing yet\n");
        deps().install(Language.PYTHON3);
        requirements("sandq_testpkg==2.0.0\n");
        assertEquals(List.of(new InstalledPackage("sandq_testpkg", "2.0.0")), deps().install(Language.PYTHON3));
        Path second = PackagesLayout.current(root, Language.PYTHON3).toRealPath();
        requirements("");
        deps().install(Language.PYTHON3);

        assertEquals(List.of(), deps().list(Language.PYTHON3));
        List<Path> trees = TestPackages.generations(languageDir);
        assertEquals(2, trees.size(), "the current tree and the previous one: " + trees);
        assertTrue(trees.contains(second), "jobs started before the switch keep their tree: " + trees);
        try (Stream<Path> s = Files.list(languageDir)) {
            assertEquals(Set.of("current", "generations", ".lock"),
                    Set.copyOf(s.map(p -> p.getFileName().toString()).toList()), "no temporary symlink left");
        }
    }

    @Test
    void aRootReachedThroughASymlinkKeepsTheTreeItSwitchedTo() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real-packages"));
        Files.createSymbolicLink(root, real);
        requirements("");
        deps().install(Language.PYTHON3);
        deps().install(Language.PYTHON3);

        Path current = PackagesLayout.current(root, Language.PYTHON3);
        assertTrue(Files.isDirectory(current), "current names a tree that exists");
        assertEquals(2, TestPackages.generations(PackagesLayout.languageDir(root, Language.PYTHON3)).size());
    }

    @Test
    void aFailedInstallLeavesTheCurrentTreeAsItWas() throws Exception {
        TestPackages.wheel(wheels, "sandq_testpkg", "1.2.3");
        requirements("");
        deps().install(Language.PYTHON3);
        Path before = PackagesLayout.current(root, Language.PYTHON3).toRealPath();
        requirements("sandq_testpkg==1.2.3\nsandq_absent==9.9\n");

        DependencyInstallException e = assertThrows(DependencyInstallException.class, () -> deps().install(Language.PYTHON3));

        assertTrue(e.getMessage().contains("No matching distribution found for sandq_absent"), e.getMessage());
        assertFalse(e instanceof DependencyFileException);
        assertEquals(before, PackagesLayout.current(root, Language.PYTHON3).toRealPath());
        assertEquals(List.of(before), TestPackages.generations(PackagesLayout.languageDir(root, Language.PYTHON3)),
                "the failed tree is removed");
        assertEquals(List.of(), deps().list(Language.PYTHON3));
    }

    @Test
    void buildScriptsRunOnlyWhenAllowed() {
        DependencyConfig safe = TestPackages.offline(root, wheels).build();
        DependencyConfig allowed = TestPackages.offline(root, wheels).allowBuildScripts(true).build();
        Path req = dir.resolve("r.txt");
        Path tree = dir.resolve("t");

        List<String> pip = new PipInstaller(safe).argv(req, tree);
        assertEquals(":all:", pip.get(pip.indexOf("--only-binary") + 1), "wheels only: " + pip);
        assertTrue(pip.containsAll(List.of("--no-index", "--find-links", wheels.toString(), "--target", tree.toString())), pip::toString);
        assertFalse(new PipInstaller(allowed).argv(req, tree).contains("--only-binary"));
        assertTrue(new NpmInstaller(safe).argv().contains("--ignore-scripts"));
        assertFalse(new NpmInstaller(allowed).argv().contains("--ignore-scripts"));
    }

    @Test
    void nodePackageFromALocalTarballIsInstalledAndListed() throws Exception {
        TestPackages.npmTarball(dir, "sandq-testpkg", "1.0.0");
        TestPackages.write(dir.resolve("nodejs-packages.json"),
                "{\"dependencies\": {\"sandq-testpkg\": \"file:sandq-testpkg-1.0.0.tgz\"}}");

        List<InstalledPackage> installed = deps().install(Language.NODEJS);

        assertEquals(List.of(new InstalledPackage("sandq-testpkg", "1.0.0")), installed, output::toString);
        Path importRoot = PackagesLayout.importRoot(root, Language.NODEJS);
        assertEquals("module.exports = {version: '1.0.0'};\n",
                Files.readString(importRoot.resolve("sandq-testpkg/index.js")));
        assertEquals(Map.of(Language.PYTHON3, List.of(), Language.NODEJS, installed), deps().listAll());
    }

    @Test
    void anInvalidNodePackagesFileIsAFileErrorNamingIt() throws Exception {
        Path file = dir.resolve("nodejs-packages.json");
        TestPackages.write(file, "{\"dependencies\": [\"is-number\"]}");

        DependencyFileException e = assertThrows(DependencyFileException.class, () -> deps().install(Language.NODEJS));

        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("\"dependencies\""), e.getMessage());
        assertFalse(Files.exists(PackagesLayout.current(root, Language.NODEJS)));
    }

    @Test
    void aMissingFileIsAFileErrorAndRefreshSkipsIt() throws Exception {
        DependencyFileException e = assertThrows(DependencyFileException.class, () -> deps().install(Language.PYTHON3));
        assertTrue(e.getMessage().contains("python-requirements.txt"), e.getMessage());

        TestPackages.write(dir.resolve("nodejs-packages.json"), "{\"dependencies\": {}}");
        Map<Language, List<InstalledPackage>> refreshed = deps().refresh();

        assertEquals(Map.of(Language.PYTHON3, List.of(), Language.NODEJS, List.of()), refreshed);
        assertTrue(Files.isDirectory(PackagesLayout.current(root, Language.NODEJS)), "an empty tree is installed");
        assertFalse(Files.exists(PackagesLayout.current(root, Language.PYTHON3)));
    }

    @Test
    void configurationErrorsNameTheBadValue() {
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
                () -> DependencyConfig.builder().packagesRoot(Path.of("relative/packages")).build());
        assertTrue(relative.getMessage().contains("relative/packages"), relative.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> DependencyConfig.builder().installTimeout(java.time.Duration.ZERO).build());
        assertTrue(timeout.getMessage().contains("PT0S"), timeout.getMessage());
    }
}
