package dev.sandq.executor.internal.warm;

import dev.sandq.executor.internal.launch.PrestartedLaunch;
import dev.sandq.executor.internal.launch.LauncherStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm Python interpreter that forks the interpreters of prestarted sandboxes
 * (executor-native/ZYGOTE.md): started by the launcher ({@code --zygote-serve}) with the root, the
 * options and the environment of the launches it serves, each of which then passes
 * {@code --zygote SOCKET} ({@link PrestartedLaunch#viaZygote}).
 */
final class PythonZygote implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PythonZygote.class);
    static final String READY_LINE = "sandq zygote: ready";
    private static final long START_TIMEOUT_SECONDS = 10;
    private static final String SOURCE = resource();
    private static final AtomicLong STARTS = new AtomicLong();
    /** What function jobs' harness imports: preloaded by every zygote. */
    static final List<String> PRELOAD = List.of("base64", "json", "traceback");
    /**
     * And Jinja2, which template jobs import, by a zygote of its own: it doubles a zygote's memory
     * (about 10 to 20 MB resident), and each of the three copies of that memory a job's processes
     * make (the launcher, init, the job) cost about 0.6 ms of CPU more for it, in every job.
     */
    static final List<String> PRELOAD_FOR_TEMPLATES = Stream.concat(PRELOAD.stream(), Stream.of("jinja2")).toList();

    private final Process process;
    private final Path socket;

    private PythonZygote(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /**
     * Starts a zygote for launches like {@code template} (a prestarted Python launch), with Jinja2
     * preloaded when {@code forTemplates} and the {@code precompiled} programs compiled, and waits
     * until it listens.
     */
    static PythonZygote start(PrestartedLaunch template, Path library, Path dir, boolean forTemplates,
                              List<String> precompiled) throws IOException {
        long n = STARTS.incrementAndGet();
        Path socket = dir.resolve("zygote-" + n + ".sock");
        Path status = dir.resolve("zygote-" + n + ".status");
        Files.deleteIfExists(socket);
        List<String> argv = template.zygoteServerArgv(status, socket, library, SOURCE,
                forTemplates ? PRELOAD_FOR_TEMPLATES : PRELOAD, precompiled);
        Process process = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread logger = new Thread(() -> relayStderr(process.getErrorStream(), ready), "sandq-zygote-" + n);
        logger.setDaemon(true);
        logger.start();
        try {
            if (!ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.waitFor(1, TimeUnit.SECONDS);
                throw new IOException("the Python zygote ended before it was ready: "
                        + LauncherStatus.line(status).orElse("exit code " + exitCode(process)));
            }
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("the Python zygote was not ready within " + START_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            process.destroyForcibly();
            throw new IOException("reading the Python zygote's stderr", e.getCause());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the Python zygote started", e);
        } finally {
            Files.deleteIfExists(status);
        }
        LOG.debug("Python zygote {} listening on {}", process.pid(), socket);
        return new PythonZygote(process, socket);
    }

    private static String exitCode(Process process) {
        return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
    }

    /** Completes {@code ready} with true at the ready line, false at end of file; then logs the rest. */
    private static void relayStderr(InputStream stderr, CompletableFuture<Boolean> ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!ready.isDone() && line.equals(READY_LINE)) {
                    ready.complete(true);
                } else {
                    LOG.warn("Python zygote: {}", line);
                }
            }
            ready.complete(false);
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    long pid() {
        return process.pid();
    }

    Path socket() {
        return socket;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Stops the zygote. Launches it has forked go on: they are not its to end. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("cannot remove the zygote socket {}: {}", socket, e.toString());
        }
    }

    private static String resource() {
        try (InputStream in = PythonZygote.class.getResourceAsStream("/dev/sandq/executor/zygote/python3.py")) {
            if (in == null) {
                throw new IllegalStateException("the Python zygote's source is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the Python zygote's source", e);
        }
    }
}
