package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Language;
import dev.sandq.executor.PackagesLayout;
import dev.sandq.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sandq deps install} and {@code sandq deps list}: output, JSON and exit codes (real pip). */
@Slow
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DepsCommandTest {
    @TempDir
    Path dir;

    @Test
    void everyDepsCommandHasHelpAndExitsZeroWithIt() {
        for (String[] args : new String[][] {{"deps", "--help"}, {"deps", "install", "--help"}, {"deps", "list", "--help"}}) {
            CliRun run = new CliRun().execute(args);
            assertEquals(ExitCodes.OK, run.exitCode, run::toString);
            assertTrue(run.out.startsWith("Usage: sandq deps"), run::toString);
        }
        assertEquals(ExitCodes.USAGE, new CliRun().execute("deps").exitCode);
        assertEquals(ExitCodes.USAGE, new CliRun().execute("deps", "list", "--lang", "ruby").exitCode);
    }

    @Test
    void installWithoutAnyDependencyFileIsAUsageError() {
        CliRun run = new CliRun().execute("deps", "install", "--packages-dir", dir.resolve("p").toString(),
                "--python-requirements", dir.resolve("absent.txt").toString(),
                "--node-packages", dir.resolve("absent.json").toString());
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertTrue(run.err.contains("nothing to install"), run::toString);
        run = new CliRun().execute("deps", "install", "--lang", "nodejs", "--packages-dir", dir.resolve("p").toString(),
                "--node-packages", dir.resolve("absent.json").toString());
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertTrue(run.err.contains(dir.resolve("absent.json").toString()), run::toString);
    }

    @Test
    void installFromAWheelDirectoryThenListPrintsNameAndVersionAsTextAndJson() throws Exception {
        Path wheels = Files.createDirectories(dir.resolve("wheels"));
        writeWheel(wheels, "sandq_clipkg", "0.4.1");
        Path requirements = Files.writeString(dir.resolve("req.txt"), "sandq_clipkg==0.4.1\n");
        String root = dir.resolve("packages").toString();

        CliRun install = new CliRun().execute("deps", "install", "--lang", "python3", "--packages-dir", root,
                "--python-requirements", requirements.toString(), "--find-links", wheels.toString(), "--no-index");
        assertEquals(ExitCodes.OK, install.exitCode, install::toString);
        assertEquals("python3:\n  sandq_clipkg 0.4.1\nnodejs: none\n", install.out, install::toString);

        CliRun list = new CliRun();
        list.env = Map.of("SANDQ_PACKAGES_DIR", root);
        list.execute("deps", "list", "--json");
        assertEquals(ExitCodes.OK, list.exitCode, list::toString);
        JsonNode json = new ObjectMapper().readTree(list.out);
        assertEquals("sandq_clipkg", json.path("python3").path(0).path("name").asText(), list::toString);
        assertEquals("0.4.1", json.path("python3").path(0).path("version").asText(), list::toString);
        assertEquals(0, json.path("nodejs").size(), list::toString);
        assertTrue(Files.isDirectory(PackagesLayout.current(Path.of(root), Language.PYTHON3)));
        assertEquals(java.util.List.of(new dev.sandq.deps.InstalledPackage("sandq_clipkg", "0.4.1")),
                GatewayCommand.installedPackages(Path.of(root)).list(Language.PYTHON3), "what the gateway lists");
    }

    @Test
    void aFailingInstallerExitsOneAndLeavesStdoutEmpty() throws Exception {
        Path requirements = Files.writeString(dir.resolve("req.txt"), "anything==1.0\n");
        CliRun run = new CliRun().execute("deps", "install", "--lang", "python3", "--python", "/bin/false",
                "--packages-dir", dir.resolve("packages").toString(), "--python-requirements", requirements.toString());
        assertEquals(ExitCodes.SOFTWARE, run.exitCode, run::toString);
        assertTrue(run.err.contains("python3 packages not installed: /bin/false -m pip install"), run::toString);
        assertEquals("", run.out);
        assertTrue(Files.notExists(PackagesLayout.current(dir.resolve("packages"), Language.PYTHON3)));
    }

    /** The smallest wheel pip accepts (pip does not check RECORD's hashes on install). */
    private static void writeWheel(Path dir, String name, String version) throws Exception {
        String info = name + "-" + version + ".dist-info/";
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(
                dir.resolve(name + "-" + version + "-py3-none-any.whl")))) {
            for (String[] f : new String[][] {
                {name + "/__init__.py", "VERSION = '" + version + "'\n"},
                {info + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"},
                {info + "WHEEL", "Wheel-Version: 1.0\nGenerator: sandq-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
                {info + "RECORD", ""}}) {
                zip.putNextEntry(new ZipEntry(f[0]));
                zip.write(f[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}
