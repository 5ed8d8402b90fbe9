package dev.sandq.deps;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packages the tests build themselves, so that no test needs a package index: a pure-Python
 * wheel written by hand (PEP 427: the module, METADATA, WHEEL, RECORD) and an npm tarball made
 * with {@code npm pack} from a package.json the test writes.
 */
final class TestPackages {
    private TestPackages() {
    }

    /** {@code DIR/NAME-VERSION-py3-none-any.whl}: module NAME whose {@code VERSION} is VERSION. */
    static Path wheel(Path dir, String name, String version) throws IOException {
        Files.createDirectories(dir);
        String info = name + "-" + version + ".dist-info/";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(name + "/__init__.py", ("VERSION = '" + version + "'\n").getBytes(StandardCharsets.UTF_8));
        files.put(info + "METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version
                + "\nSummary: a package sandq's tests build\n").getBytes(StandardCharsets.UTF_8));
        files.put(info + "WHEEL", "Wheel-Version: 1.0\nGenerator: sandq-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                .getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        files.forEach((path, bytes) -> record.append(path).append(",sha256=").append(sha256(bytes))
                .append(',').append(bytes.length).append('\n'));
        record.append(info).append("RECORD,,\n");
        files.put(info + "RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
        Path wheel = dir.resolve(name + "-" + version + "-py3-none-any.whl");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(wheel))) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue());
                zip.closeEntry();
            }
        }
        return wheel;
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code DIR/NAME-VERSION.tgz} from {@code npm pack}: {@code require(NAME).version} is VERSION. */
    static Path npmTarball(Path dir, String name, String version) throws IOException, InterruptedException {
        Path source = Files.createDirectories(dir.resolve("src-" + name + "-" + version));
        Files.writeString(source.resolve("package.json"),
                "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"main\":\"index.js\"}\n");
        Files.writeString(source.resolve("index.js"), "module.exports = {version: '" + version + "'};\n");
        run(source, "npm", "pack", "--pack-destination", dir.toString(), "--loglevel=error");
        Path tarball = dir.resolve(name + "-" + version + ".tgz");
        if (!Files.isRegularFile(tarball)) {
            throw new AssertionError("npm pack made no " + tarball);
        }
        return tarball;
    }

    private static void run(Path dir, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed: " + output);
        }
    }

    /** A configuration that installs only from {@code wheels}, never from an index. */
    static DependencyConfig.Builder offline(Path root, Path wheels) {
        return DependencyConfig.builder().packagesRoot(root).findLinks(List.of(wheels)).noIndex(true)
                .pythonRequirements(root.resolveSibling("python-requirements.txt"))
                .nodePackages(root.resolveSibling("nodejs-packages.json"))
                .installTimeout(Duration.ofMinutes(2));
    }

    /** Dependencies whose tool output is kept (shown when an assertion fails). */
    static Dependencies dependencies(DependencyConfig config, List<String> output) {
        return new Dependencies(config, Clock.systemUTC(), line -> {
            synchronized (output) {
                output.add(line);
            }
        });
    }

    static List<Path> generations(Path languageDir) throws IOException {
        try (Stream<Path> s = Files.list(languageDir.resolve("generations"))) {
            return new ArrayList<>(s.sorted().toList());
        }
    }

    static void write(Path file, String text) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
