package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JIT the {@code sandq} script gives each command: C1 only for the commands that end soon (and
 * {@code up}, which {@code sandq bench} measures right after it starts), the JVM's default (C1 then
 * C2) for the long-lived worker and gateway; SANDQ_JAVA_OPTS comes after, so it decides. The script
 * runs from a copy of the repository's layout, with a built jar in place and a {@code java} on the
 * PATH that prints its arguments.
 */
@Fast
class SandqScriptJitTest {
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    @TempDir
    Path dir;

    @Test
    void theLongLivedCommandsGetTheDefaultJitAndTheOthersC1Only() throws Exception {
        for (String command : List.of("worker", "gateway")) {
            assertTrue(!javaArguments(Map.of(), command, "--help").contains(C1_ONLY), command);
        }
        for (String command : List.of("up", "bench", "submit", "batch", "doctor", "--version")) {
            List<String> args = javaArguments(Map.of(), command);
            assertEquals(C1_ONLY, args.get(0), command + ": " + args);
        }
    }

    @Test
    void sandqJavaOptsComeAfterTheDefaultSoThatTheyDecide() throws Exception {
        List<String> up = javaArguments(Map.of("SANDQ_JAVA_OPTS", "-XX:TieredStopAtLevel=4 -Xmx256m"), "up");
        assertEquals(List.of(C1_ONLY, "-XX:TieredStopAtLevel=4", "-Xmx256m"), up.subList(0, 3));
        List<String> worker = javaArguments(Map.of("SANDQ_JAVA_OPTS", C1_ONLY), "worker");
        assertEquals(C1_ONLY, worker.get(0), worker.toString());
        assertEquals(1, worker.stream().filter(a -> a.startsWith("-XX:TieredStopAtLevel")).count(), worker.toString());
    }

    private List<String> javaArguments(Map<String, String> env, String... sandqArgs) throws IOException, InterruptedException {
        Path root = dir.resolve("repo");
        if (!Files.exists(root)) {
            Files.createDirectories(root.resolve("devkit/target/lib"));
            Files.writeString(root.resolve("devkit/target/sandq-devkit.jar"), "");
            Files.copy(OpsFiles.path("sandq"), root.resolve("sandq"));
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Path java = bin.resolve("java");
            Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("sandq").toString()));
        command.addAll(List.of(sandqArgs));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", dir.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().put("SANDQ_NO_BUILD", "1");
        pb.environment().remove("SANDQ_JAVA_OPTS");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script ended");
        assertEquals(0, p.exitValue(), out);
        List<String> args = out.lines().toList();
        assertEquals("dev.sandq.cli.Main", args.get(args.indexOf(sandqArgs[0]) - 1), "the main class, then the arguments: " + args);
        return args;
    }
}
