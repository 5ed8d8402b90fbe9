package dev.sandq.deps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.PackagesLayout;
import dev.sandq.executor.Result;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.Status;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What jobs in the real sandbox see of installed packages: them, read-only, and nothing else. */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagesInSandboxTest {
    @TempDir
    static Path dir;

    private Path root;
    private Path wheels;
    private Sandbox sandbox;
    private final List<String> output = new ArrayList<>();

    @BeforeAll
    void installAndStart() throws Exception {
        root = dir.resolve("packages");
        wheels = dir.resolve("wheels");
        TestPackages.wheel(wheels, "sandq_testpkg", "1.2.3");
        TestPackages.wheel(wheels, "sandq_testpkg", "2.0.0");
        TestPackages.npmTarball(dir, "sandq-testpkg", "1.0.0");
        TestPackages.write(dir.resolve("python-requirements.txt"), "sandq_testpkg==1.2.3\n");
        TestPackages.write(dir.resolve("nodejs-packages.json"),
                "{\"dependencies\": {\"sandq-testpkg\": \"file:sandq-testpkg-1.0.0.tgz\"}}");
        deps().refresh();
        sandbox = LocalSandbox.create(SandboxConfig.builder().slots(2).packagesRoot(root).build());
    }

    @AfterAll
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private Dependencies deps() {
        return TestPackages.dependencies(TestPackages.offline(root, wheels).build(), output);
    }

    private Result run(Language language, String code) throws InterruptedException {
        return sandbox.run(Job.of(language, code));
    }

    @Test
    void anInstalledPythonPackageImports() throws Exception {
        Result r = run(Language.PYTHON3, "import sandq_testpkg\nprint(sandq_testpkg.VERSION, sandq_testpkg.__file__)\n");
        assertEquals(Status.OK, r.status(), r::toString);
        assertEquals("1.2.3 " + PackagesLayout.PYTHON_INSIDE + "/sandq_testpkg/__init__.py\n", r.stdout());
    }

    @Test
    void aPythonPackageThatIsNotInstalledIsAnError() throws Exception {
        Result r = run(Language.PYTHON3, "import sandq_not_installed\n");
        assertEquals(Status.ERROR, r.status(), r::toString);
        assertTrue(r.stderr().contains("No module named 'sandq_not_installed'"), r.stderr());
    }

    @Test
    void thePythonPackagesAreReadOnlyInTheSandbox() throws Exception {
        Result r = run(Language.PYTHON3, "import errno\n"
                + "for path in ['" + PackagesLayout.PYTHON_INSIDE + "/planted.py', '"
                + PackagesLayout.PYTHON_INSIDE + "/sandq_testpkg/__init__.py']:\n"
                + "    try:\n"
                + "        open(path, 'a').write('x = 1\\n')\n"
                + "        print('written', path)\n"
                + "    except OSError as e:\n"
                + "        print(errno.errorcode[e.errno])\n");
        assertReadOnly(r);
    }

    @Test
    void anInstalledNodePackageRequiresAndImports() throws Exception {
        Result r = run(Language.NODEJS, "console.log(require('sandq-testpkg').version);\n"
                + "import('sandq-testpkg').then(m => console.log('import', m.default.version));\n");
        assertEquals(Status.OK, r.status(), r::toString);
        assertEquals("1.0.0\nimport 1.0.0\n", r.stdout());
    }

    @Test
    void aNodePackageThatIsNotInstalledIsAnError() throws Exception {
        Result r = run(Language.NODEJS, "require('sandq-not-installed');\n");
        assertEquals(Status.ERROR, r.status(), r::toString);
        assertTrue(r.stderr().contains("Cannot find module 'sandq-not-installed'"), r.stderr());
    }

    @Test
    void theNodeModulesAreReadOnlyInTheSandbox() throws Exception {
        Result r = run(Language.NODEJS, "const fs = require('fs');\n"
                + "for (const p of ['/node_modules/planted.js', '/node_modules/sandq-testpkg/index.js']) {\n"
                + "  try { fs.appendFileSync(p, 'x'); console.log('written', p); } catch (e) { console.log(e.code); }\n"
                + "}\n");
        assertReadOnly(r);
    }

    /**
     * A job reads its package for about three seconds while a new version is installed and
     * switched in: it sees one version throughout, and the next job sees the new one.
     */
    @Test
    void aRunningJobKeepsTheTreeItStartedWithWhileANewOneIsSwitchedIn() throws Exception {
        String reader = "import time\n"
                + "seen = []\n"
                + "end = time.monotonic() + 3\n"
                + "while time.monotonic() < end:\n"
                + "    text = open('" + PackagesLayout.PYTHON_INSIDE + "/sandq_testpkg/__init__.py').read()\n"
                + "    if text not in seen:\n"
                + "        seen.append(text)\n"
                + "    time.sleep(0.02)\n"
                + "print(repr(seen))\n";
        CompletableFuture<Result> running = CompletableFuture.supplyAsync(() -> {
            try {
                return run(Language.PYTHON3, reader);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitJobProcess(Duration.ofSeconds(20));
        TestPackages.write(dir.resolve("python-requirements.txt"), "sandq_testpkg==2.0.0\n");
        deps().install(Language.PYTHON3);
        Instant switched = Instant.now();

        Result during = running.get(30, TimeUnit.SECONDS);
        Result after = run(Language.PYTHON3, "import sandq_testpkg\nprint(sandq_testpkg.VERSION)\n");

        assertEquals(Status.OK, during.status(), during::toString);
        assertEquals("[\"VERSION = '1.2.3'\\n\"]\n", during.stdout(),
                "one version, the one installed when it started (switched at " + switched + "); " + output);
        assertEquals("2.0.0\n", after.stdout(), after::toString);
    }

    /**
     * Creating a file fails with EROFS: the mount itself is read-only, not just root-owned (the
     * kernel checks that first on create); changing an existing file fails too (the permission
     * check may come first there: EACCES).
     */
    private static void assertReadOnly(Result r) {
        assertEquals(Status.OK, r.status(), r::toString);
        String[] lines = r.stdout().split("\n");
        assertEquals(2, lines.length, r.stdout());
        assertEquals("EROFS", lines[0], r.stdout());
        assertTrue(List.of("EROFS", "EACCES").contains(lines[1]), r.stdout());
    }

    /**
     * Until a job's interpreter runs under this JVM, as a slot's uid: its sandbox (and its mounts)
     * are complete. (Its command line is not the job's when the Python zygote forked it.)
     */
    private static void awaitJobProcess(Duration timeout) {
        Await.until(timeout, Duration.ofMillis(10), () -> ProcessHandle.current().descendants().anyMatch(
                p -> p.info().command().map(c -> c.endsWith("python3")).orElse(false)
                        && !p.info().user().map("root"::equals).orElse(false)), // a slot uid has no name
                () -> "the job's python3 under this JVM, as a slot's uid");
    }
}
