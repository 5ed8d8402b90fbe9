package dev.sandq.deps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs an installer (pip, npm) to completion: its output, stdout and stderr merged, goes line
 * by line to a sink, and its last lines are kept for the error message when it fails.
 */
final class ToolRun {
    private static final int KEPT_LINES = 30;

    private ToolRun() {
    }

    /** @throws DependencyInstallException when it cannot start, times out or exits non-zero */
    static void run(List<String> argv, Path workDir, Map<String, String> extraEnv, Duration timeout,
                    Consumer<String> output) throws DependencyInstallException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(extraEnv);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new DependencyInstallException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> pump(process, output, tail), "sandq-deps-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
                throw new DependencyInstallException(String.join(" ", argv) + " did not finish within " + timeout);
            }
            reader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        }
        if (process.exitValue() != 0) {
            String last;
            synchronized (tail) {
                last = String.join("\n", tail);
            }
            throw new DependencyInstallException(String.join(" ", argv) + " exited with " + process.exitValue()
                    + (last.isBlank() ? "" : ":\n" + last));
        }
    }

    private static void pump(Process process, Consumer<String> output, Deque<String> tail) {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                output.accept(line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > KEPT_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            output.accept("(reading the installer's output failed: " + e.getMessage() + ")");
        }
    }
}
