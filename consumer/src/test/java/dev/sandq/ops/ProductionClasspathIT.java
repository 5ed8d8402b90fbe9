package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ships is what runs: the production artifacts (consumer/target/sandq.jar and
 * consumer/target/lib, which ops/Containerfile copies into the image and the systemd unit
 * expects in /opt/sandq) carry neither the embedded Kafka broker nor the development commands,
 * and `sandq up` there says so. Runs after the package phase, against those files.
 */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProductionClasspathIT {
    private static final Path TARGET = OpsFiles.path("consumer/target");
    private static final Path JAR = TARGET.resolve("sandq.jar");
    private static final Path LIB = TARGET.resolve("lib");

    /** Jar names of the embedded broker and what only it needs. */
    private static final List<String> BROKER_JARS = List.of("kafka_2.13-", "kafka-server-", "kafka-raft-",
            "kafka-storage-", "kafka-metadata-", "kafka-group-coordinator-", "scala-library-", "scala-reflect-",
            "sandq-broker-", "sandq-devkit-");

    /** Packages that must not be on the production class path at all, whatever jar would bring them. */
    private static final List<String> FORBIDDEN_ENTRIES = List.of("kafka/server/", "scala/", "dev/sandq/broker/",
            "dev/sandq/devkit/", "META-INF/services/dev.sandq.cli.CommandProvider");

    @TempDir
    Path tmp;

    @Test
    void theProductionLibHasNoBrokerJar() throws IOException {
        List<String> jars = libJars();
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("kafka-clients-")), "the worker's Kafka client is there: " + jars);
        List<String> found = jars.stream().filter(j -> BROKER_JARS.stream().anyMatch(j::startsWith)).toList();
        assertEquals(List.of(), found, "broker jars in " + LIB);
    }

    @Test
    void theJarsManifestNamesExactlyTheLibJars() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            Set<String> named = new TreeSet<>();
            for (String entry : classPath.trim().split("\\s+")) {
                assertTrue(entry.startsWith("lib/"), entry);
                named.add(entry.substring("lib/".length()));
            }
            assertEquals(new TreeSet<>(libJars()), named, "java -jar sandq.jar loads lib/ as the manifest says");
        }
    }

    @Test
    void noBrokerOrDevkitClassIsOnTheProductionClassPath() throws IOException {
        List<Path> jars = new ArrayList<>(List.of(JAR));
        libJars().forEach(j -> jars.add(LIB.resolve(j)));
        List<String> found = new ArrayList<>();
        for (Path path : jars) {
            try (JarFile jar = new JarFile(path.toFile())) {
                jar.stream().map(e -> e.getName()).filter(n -> FORBIDDEN_ENTRIES.stream().anyMatch(n::startsWith))
                        .findFirst().ifPresent(n -> found.add(path.getFileName() + ": " + n));
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void upInTheProductionJarSaysItIsADevelopmentCommandAndExitsTwo() throws Exception {
        Run run = java("up", "--port", "0");
        assertEquals(2, run.exitCode, run::toString);
        assertEquals("", run.out, run::toString);
        assertTrue(run.err.contains("`up` is a development command: it is not in this distribution; "
                + "use `sandq worker --bootstrap-servers"), run::toString);
    }

    @Test
    void helpOfTheProductionJarListsOnlyItsOwnCommands() throws Exception {
        Run run = java("--help");
        assertEquals(0, run.exitCode, run::toString);
        for (String command : List.of("exec", "doctor", "worker", "submit", "batch", "topics", "gateway", "deps")) {
            assertTrue(run.out.contains("\n  " + command + " "), command + "\n" + run);
        }
        assertTrue(libJars().stream().anyMatch(j -> j.startsWith("sandq-client-")), "sandq batch's client: " + libJars());
        for (String command : List.of("up", "bench", "bench-sandbox", "bench-gateway")) {
            assertTrue(!run.out.contains("\n  " + command + " "), command + " listed\n" + run);
        }
    }

    private static List<String> libJars() throws IOException {
        try (Stream<Path> files = Files.list(LIB)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }

    private record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** {@code java -jar consumer/target/sandq.jar ARGS}, as the image's entry point runs it. */
    private Run java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("SANDQ_"));
        Process p = pb.start();
        Duration timeout = Duration.ofSeconds(60);
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeout);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
