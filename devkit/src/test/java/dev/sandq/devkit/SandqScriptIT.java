package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Slow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sandq} entry script, run as a user runs it (after the package phase, with devkit's
 * class path). The first tests run the repository's own script; the others run a copy of it in a
 * scratch repository whose Maven is a stub, to check when it builds and what it does when the
 * build fails.
 */
@Slow
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SandqScriptIT {

    private static final Path REPO = Path.of(System.getProperty("sandq.root", "..")).toAbsolutePath().normalize();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** What the script runs (with devkit/target/lib), and the mark of a complete build. */
    private static final String JAR = "devkit/target/sandq-devkit.jar";

    @TempDir
    Path tmp;

    private Path cwd;

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeEach
    void elsewhere() throws IOException {
        cwd = Files.createDirectories(tmp.resolve("somewhere-else"));
    }

    private Run run(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SANDQ_"));
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = pb.start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish within " + TIMEOUT);
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    // --- the repository's own script, with the jar this build just packaged

    private static Map<String, String> noBuild() {
        // The package phase has just built the jar; never start a Maven inside this Maven.
        return Map.of("SANDQ_NO_BUILD", "1");
    }

    @Test
    void helpFromAnotherDirectoryExitsZeroWithUsage() throws Exception {
        Run run = run(REPO.resolve("sandq"), noBuild(), "--help");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("Usage: sandq"), run::toString);
        assertTrue(run.out().contains("exec"), run::toString);
    }

    @Test
    void hasTheDevelopmentCommands() throws Exception {
        Run help = run(REPO.resolve("sandq"), noBuild(), "--help");
        assertEquals(0, help.exitCode(), help::toString);
        for (String command : List.of("up", "bench", "bench-sandbox", "bench-gateway", "bench-kafka")) {
            assertTrue(help.out().contains("\n  " + command + " "), command + "\n" + help);
            Run commandHelp = run(REPO.resolve("sandq"), noBuild(), command, "--help");
            assertEquals(0, commandHelp.exitCode(), commandHelp::toString);
            assertTrue(commandHelp.out().startsWith("Usage: sandq " + command), commandHelp::toString);
        }
    }

    @Test
    void passesTheCliExitCodeThrough() throws Exception {
        Run run = run(REPO.resolve("sandq"), noBuild(), "exec", "--no-such-flag");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertTrue(run.err().contains("Unknown option: '--no-such-flag'"), run::toString);
    }

    @Test
    void execRunsTheExampleInTheRealSandbox() throws Exception {
        Run run = run(REPO.resolve("sandq"), noBuild(), "exec", REPO.resolve("examples/hello.py").toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("\"status\":\"ok\""), run::toString);
        assertTrue(run.out().contains("hello from Python"), run::toString);
    }

    @Test
    void execRunsAFunctionModeJobDocument() throws Exception {
        Path job = Files.writeString(tmp.resolve("job.json"), """
                {"language": "nodejs", "mode": "function", "inputs": {"a": 2, "b": 3},
                 "code": "function main({a, b}) { return {sum: a + b}; }"}
                """);
        Run run = run(REPO.resolve("sandq"), noBuild(), "exec", "--job", job.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("\"status\":\"ok\""), run::toString);
        assertTrue(run.out().contains("\"result\":{\"sum\":5}"), run::toString);
    }

    @Test
    void runsThroughASymlinkToTheScript() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("sandq-link"), REPO.resolve("sandq"));
        Run run = run(link, noBuild(), "--version");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("sandq "), run::toString);
    }

    // --- a copy of the script in a scratch repository, with a stub Maven on the PATH

    private Path scratch;
    private Path mvnLog;

    private Path scratchRepo(String mvnBody) throws IOException {
        scratch = Files.createDirectories(tmp.resolve("repo"));
        Files.copy(REPO.resolve("sandq"), scratch.resolve("sandq"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(scratch.resolve("pom.xml"), "<project/>\n");
        Path source = Files.createDirectories(scratch.resolve("consumer/src/main/java"));
        Files.writeString(source.resolve("A.java"), "class A {}\n");
        Path target = Files.createDirectories(scratch.resolve("devkit/target"));
        Files.copy(REPO.resolve(JAR), target.resolve("sandq-devkit.jar"));
        Files.createSymbolicLink(target.resolve("lib"), REPO.resolve("devkit/target/lib"));
        // Nothing is missing as far as the script can tell.
        executable(Files.createDirectories(scratch.resolve("ops")).resolve("install-deps"), "exit 0\n");

        mvnLog = tmp.resolve("mvn.log");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        executable(bin.resolve("mvn"), "echo \"$PWD $*\" >> " + mvnLog + "\n" + mvnBody);
        return scratch.resolve("sandq");
    }

    private static void executable(Path file, String body) throws IOException {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Map<String, String> stubMavenPath() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        return env;
    }

    private void age(String relative, Duration age) throws IOException {
        Files.setLastModifiedTime(scratch.resolve(relative), FileTime.from(Instant.now().minus(age)));
    }

    private List<String> mavenCalls() throws IOException {
        return Files.exists(mvnLog) ? Files.readAllLines(mvnLog) : List.of();
    }

    @Test
    void doesNotBuildWhenTheJarIsNewerThanEverySource() throws Exception {
        Path script = scratchRepo("exit 1\n");
        age("pom.xml", Duration.ofHours(2));
        age("consumer/src/main/java/A.java", Duration.ofHours(2));
        age(JAR, Duration.ofHours(1));

        Run run = run(script, stubMavenPath(), "--help");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of(), mavenCalls());
        assertFalse(run.err().contains("building"), run::toString);
    }

    @Test
    void buildsWhenASourceIsNewerThanTheJarThenRuns() throws Exception {
        Path script = scratchRepo("exit 0\n");
        age("pom.xml", Duration.ofHours(2));
        age(JAR, Duration.ofHours(1));
        // A.java is newer than the jar

        Run first = run(script, stubMavenPath(), "--help");

        assertEquals(0, first.exitCode(), first::toString);
        assertTrue(first.out().startsWith("Usage: sandq"), first::toString);
        assertTrue(first.err().contains("building (consumer/src/main/java/A.java changed)"), first::toString);
        assertEquals(List.of(scratch + " -q -B -DskipTests package"), mavenCalls());

        Run second = run(script, stubMavenPath(), "--help");
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals(1, mavenCalls().size(), "the second call must not build again");
    }

    @Test
    void testSourcesDoNotTriggerABuild() throws Exception {
        Path script = scratchRepo("exit 1\n");
        Files.writeString(Files.createDirectories(scratch.resolve("consumer/src/test/java")).resolve("T.java"), "");
        age("pom.xml", Duration.ofHours(2));
        age("consumer/src/main/java/A.java", Duration.ofHours(2));
        age(JAR, Duration.ofHours(1));

        Run run = run(script, stubMavenPath(), "--help");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of(), mavenCalls());
    }

    @Test
    void buildsOnFirstUseWhenThereIsNoJar() throws Exception {
        // The stub "builds" by putting the jar back.
        Path script = scratchRepo("cp " + REPO.resolve(JAR) + " " + JAR + "\n");
        Files.delete(scratch.resolve(JAR));

        Run run = run(script, stubMavenPath(), "--version");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(1, mavenCalls().size());
        assertTrue(run.err().contains("building (first use)"), run::toString);
        assertTrue(run.out().startsWith("sandq "), run::toString);
    }

    @Test
    void aFailedBuildExitsOneAndSaysSoOnStderrOnly() throws Exception {
        Path script = scratchRepo("echo '[ERROR] COMPILATION ERROR: A.java'\nexit 1\n");
        age(JAR, Duration.ofHours(1));

        Run run = run(script, stubMavenPath(), "exec", "x.py");

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertTrue(run.err().contains("COMPILATION ERROR: A.java"), run::toString);
        assertTrue(run.err().contains("build failed"), run::toString);
    }

    @Test
    void installsMissingSystemPackagesBeforeBuildingWhenRootElseSaysWhatToInstall() throws Exception {
        Path script = scratchRepo("exit 0\n");
        Path installLog = tmp.resolve("install.log");
        executable(scratch.resolve("ops/install-deps"), """
                if [[ "${1:-}" == --check ]]; then echo python3-numpy; exit 1; fi
                echo installed >> %s
                """.formatted(installLog));
        age(JAR, Duration.ofHours(1));

        Run run = run(script, stubMavenPath(), "--help");

        assertTrue(run.err().contains("python3-numpy"), run::toString);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(1, mavenCalls().size(), "builds after installing (or, when not root, after saying what to install)");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            assertEquals(List.of("installed"), Files.readAllLines(installLog));
        } else {
            assertTrue(run.err().contains("sudo " + scratch.resolve("ops/install-deps")), run::toString);
            assertFalse(Files.exists(installLog));
        }
    }
}
