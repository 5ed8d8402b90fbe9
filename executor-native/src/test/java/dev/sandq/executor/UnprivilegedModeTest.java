package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The unprivileged privilege mode, for real: a separate JVM running as nobody (uid 65534) builds
 * its sandboxes with user namespaces. Needs root to switch user (CI runs as root).
 */
class UnprivilegedModeTest {
    private static final String NOBODY = "65534";

    @Test
    void jobsRunIsolatedAsAnUnprivilegedUser() throws Exception {
        assertEquals("0", uid(), "this test switches to an unprivileged user and must start as root");
        Path dir = Files.createTempDirectory("sandq-unprivileged-test");
        try {
            String classpath = copyClasspath(dir);
            Path launcher = Path.of(System.getProperty("sandq.launcher"));
            Path launcherCopy = dir.resolve("sandq-launcher");
            Files.copy(launcher, launcherCopy, StandardCopyOption.COPY_ATTRIBUTES);
            Path tmp = Files.createDirectory(dir.resolve("tmp"));
            makeReadableByAll(dir);
            tmp.toFile().setWritable(true, false);

            Process p = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.io.tmpdir=" + tmp, "-Djna.tmpdir=" + tmp, "-Dsandq.launcher=" + launcherCopy,
                    "-cp", classpath, UnprivilegedRunner.class.getName())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the unprivileged runner did not finish");
            }
            assertEquals(0, p.exitValue(), "unprivileged runner failed; it printed:\n" + output);
            Map<String, String> lines = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                String[] parts = line.split(" ", 2);
                lines.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
            assertEquals("ok 1000 [1]", lines.get("python-ok"), output);
            assertEquals("ok 1000 [1]", lines.get("node-ok"), output);
            assertEquals("timeout", lines.get("timeout").strip(), output);
            assertEquals("memory_limit", lines.get("memory").strip(), output);
            assertEquals("syscall_denied", lines.get("ptrace").strip(), output);
            assertEquals("error", lines.get("shadow").strip(), output);
            assertEquals("timeout", lines.get("fork-bomb").strip(), output);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path path : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static String uid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2];
            }
        }
        throw new IllegalStateException("no Uid in /proc/self/status");
    }

    /** The build's classpath lives under root's home; the other user gets a readable copy. */
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
}
