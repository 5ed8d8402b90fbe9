package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external program the ops checks need (installed by `ops/install-deps --test` and `.ci/run`). */
final class Tool {
    /** Exit code and merged stdout+stderr of one run. */
    record Run(int exitCode, String output) {
    }

    private Tool() {
    }

    /** Fails the test, naming how to install it, when {@code program} is not on this host. */
    static String require(String program, String installHint) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        fail(program + " is not installed; " + installHint);
        throw new AssertionError();
    }

    static Run run(Path dir, Map<String, String> env, long timeoutSeconds, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        List<String> out = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                out.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.add("(output unreadable: " + e + ")");
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(5000);
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s; output: " + out);
        }
        reader.join();
        return new Run(p.exitValue(), String.join("", out));
    }
}
