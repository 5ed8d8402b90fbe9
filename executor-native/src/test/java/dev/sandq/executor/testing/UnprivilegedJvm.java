package dev.sandq.executor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A test's main class run in a separate JVM as an unprivileged uid of its own (a fresh one, no
 * account: see {@link FreshIds}), with no capabilities, so that sandq builds its sandboxes in
 * privilege mode userns for real, and whatever runs as that uid on the host is this test's. The
 * build's classpath and the launcher live under root's home: the other user gets readable copies
 * in a temporary directory, removed by {@link #close()}. Needs root to switch user (CI runs as
 * root).
 */
public final class UnprivilegedJvm implements AutoCloseable {
    private final int uid = FreshIds.uidRange(1);
    private final Path dir;
    private final String classpath;
    private final Path launcher;
    private final Path tmp;

    private UnprivilegedJvm(Path dir, String classpath, Path launcher, Path tmp) {
        this.dir = dir;
        this.classpath = classpath;
        this.launcher = launcher;
        this.tmp = tmp;
    }

    /** Copies what the other JVM needs; fails the test when not started as root. */
    public static UnprivilegedJvm prepare() throws IOException {
        assertEquals(0, currentUid(), "running as another user needs root to switch users");
        // Short: the other JVM's temp directory is in it, and the worker's unix sockets in that
        // (a socket's path has at most 107 bytes; this prefix and the JDK's 19 random digits left
        // the egress proxy's socket over the limit now and then).
        Path dir = Files.createTempDirectory("squ");
        try {
            String classpath = copyClasspath(dir);
            Path launcher = dir.resolve("sandq-launcher");
            Files.copy(Path.of(System.getProperty("sandq.launcher")), launcher, StandardCopyOption.COPY_ATTRIBUTES);
            Path tmp = Files.createDirectory(dir.resolve("tmp"));
            makeReadableByAll(dir);
            tmp.toFile().setWritable(true, false);
            return new UnprivilegedJvm(dir, classpath, launcher, tmp);
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /**
     * Runs {@code mainClass} as this JVM's uid with the given extra system properties; stderr goes to
     * this JVM's stderr, stdout is returned.
     *
     * @throws AssertionError when it does not finish within {@code timeoutSeconds}
     */
    public Output run(Class<?> mainClass, List<String> systemProperties, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid,
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-Djna.tmpdir=" + tmp, "-Dsandq.launcher=" + launcher));
        command.addAll(systemProperties);
        command.addAll(List.of("-cp", classpath, mainClass.getName()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(mainClass.getSimpleName() + " did not finish as uid " + uid + " within "
                    + timeoutSeconds + " s; it printed:\n" + stdout);
        }
        return new Output(p.exitValue(), stdout);
    }

    /** What the other JVM printed on stdout, and its exit code. */
    public record Output(int exitCode, String stdout) {
    }

    @Override
    public void close() throws IOException {
        deleteTree(dir);
    }

    public static int currentUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.split("\\s+")[2]);
            }
        }
        throw new IllegalStateException("no Uid in /proc/self/status");
    }

    private static String copyClasspath(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = dir.resolve("cp-" + i++ + (Files.isDirectory(source) ? "" : ".jar"));
            if (Files.isDirectory(source)) {
                try (Stream<Path> s = Files.walk(source)) {
                    for (Path p : s.toList()) {
                        Path t = target.resolve(source.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(p, t);
                        }
                    }
                }
            } else {
                Files.copy(source, target);
            }
            entries.add(target.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void makeReadableByAll(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                p.toFile().setReadable(true, false);
                if (Files.isDirectory(p)) {
                    p.toFile().setExecutable(true, false);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path path : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
