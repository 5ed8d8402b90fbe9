package dev.sandq.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A sandq command ({@code sandq worker}, {@code sandq up}, ...) as its own OS process: this JVM's java and test
 * classpath, {@code dev.sandq.cli.Main}, no SANDQ_* variables inherited. Output goes to files,
 * shown when something fails.
 */
public final class SandqProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    private SandqProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    public static SandqProcess start(Path logDir, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        String launcher = System.getProperty("sandq.launcher");
        if (launcher != null) {
            command.add("-Dsandq.launcher=" + launcher);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.sandq.cli.Main");
        command.addAll(args);
        Files.createDirectories(logDir);
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("SANDQ_"));
        return new SandqProcess(pb.start(), out, err);
    }

    /** {@code sandq worker} arguments for the kit's topics and group; short session timeout so a dead member goes fast. */
    static List<String> workerArgs(KafkaTestKit kit, String workerId, DeliveryMode mode, int slots) {
        return List.of("worker", "--bootstrap-servers", kit.bootstrap,
                "--jobs-topic", kit.topics.jobs(), "--results-topic", kit.topics.results(),
                "--dlt-topic", kit.topics.deadLetters(), "--group", kit.group, "--worker-id", workerId,
                "--delivery", mode.wireName(), "--slots", String.valueOf(slots), "--metrics-port", "-1",
                "--drain-timeout", "PT10S",
                "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500");
    }

    public long pid() {
        return process.pid();
    }

    /** Its children and their children, now (a worker's launchers, their sandboxes' processes). */
    public List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * SIGKILL to it and every process under it, as systemd (KillMode=control-group) or the
     * kubelet kills a unit or a container: its launchers too, which then clean up nothing.
     */
    public void killTree() throws InterruptedException {
        List<ProcessHandle> below = descendants();
        below.forEach(ProcessHandle::destroyForcibly);
        kill();
        for (ProcessHandle p : below) {
            p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join();
        }
    }

    /** SIGKILL: no drain, no commit, no goodbye to the group. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code (fails the caller with the logs if it does not exit in time). */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not exit within " + timeout + " of SIGTERM\n" + logs());
        }
        return process.exitValue();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not exit within " + timeout + "\n" + logs());
        }
        return process.exitValue();
    }

    public String stdout() {
        return read(out);
    }

    public String stderr() {
        return read(err);
    }

    public String logs() {
        return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
