package dev.sandq.executor.internal.launch;

import dev.sandq.executor.OutputFiles;
import dev.sandq.executor.Result;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.executor.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs launchers: starts one for a {@link Launch}, feeds it the job's stdin, collects the job's
 * output within its budget (killing the job at the cap) and reads the launcher's status line.
 * The launcher lets go of the output pipes once it has written that line, when every process of
 * the job is gone: the job is over at their end of file. The launcher's own clean-up goes on from
 * there without delaying the result, and {@link LauncherExits} follows it to its exit.
 */
public final class LauncherRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LauncherRunner.class);
    static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

    static {
        startProcessesByVfork();
    }

    /**
     * The JDK starts a process by posix_spawn of its jspawnhelper, which then execs the program:
     * two execs per launcher, where vfork and exec cost one. In a profile of 1,000 trivial jobs
     * through `sandq up` (perf record -a), jspawnhelper had 4% of all samples. Only where nothing
     * chose otherwise; the JDK reads it at its first process start, so call this before that.
     */
    public static void startProcessesByVfork() {
        if (System.getProperty(LAUNCH_MECHANISM) == null) {
            System.setProperty(LAUNCH_MECHANISM, "VFORK");
        }
    }

    /**
     * Bytes an empty pipe takes without blocking the writer: a pipe holds at least one page (pipe(7):
     * one page even for a user past pipe-user-pages-soft), and the job's stdin pipe is empty when
     * its job is handed over (nothing is written to it before).
     */
    static final int EMPTY_PIPE_TAKES = 4096;

    /** How long past the wall limit the launcher may take to report before it counts as broken. */
    static final long LAUNCHER_GRACE_MS = 10_000;

    private final LauncherExits launcherExits = new LauncherExits();
    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sandq-job-io");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts the launcher of {@code launch}; its job's limits count from now, or, prestarted, from its
     * start byte. A zygote's launch is handed to the zygote from this process (no stub process),
     * when the launcher's library is beside the launcher.
     */
    public Process start(Launch launch) throws IOException {
        if (launch instanceof ZygoteLaunch zygote) {
            Optional<Path> library = LauncherBinary.library(zygote.settings().launcher());
            if (library.isPresent()) {
                return ZygoteProcess.start(library.get(), zygote.zygoteSocket(), zygote.prestarted().argv());
            }
        }
        return new ProcessBuilder(launch.argv()).start();
    }

    /** Starts the launcher of {@code launch} and runs its job to the end. */
    public LaunchOutcome run(Launch launch, byte[] stdin, SandboxLimits limits) throws IOException, InterruptedException {
        return complete(start(launch), launch.statusFile(), filesOut(launch), stdin, limits);
    }

    /** SIGTERM to the launcher, which terminates its job; unlike Process.destroy(), our pipes stay open. */
    private static void terminate(Process launcher) {
        if (launcher instanceof ZygoteProcess zygoteChild) {
            zygoteChild.terminate();
        } else {
            launcher.toHandle().destroy();
        }
    }

    /** Where the launch's output files are copied out, when they are. */
    public static Optional<Path> filesOut(Launch launch) {
        return launch.settings().filesOut().map(LaunchSettings.FilesOut::file);
    }

    /**
     * Feeds a started launcher its stdin, collects its output and reads its status line from
     * {@code status}. The job counts as handed over now (for a prestarted sandbox, the instant it
     * becomes ready for this job: see {@link dev.sandq.executor.SandboxTimeline}).
     */
    public LaunchOutcome complete(Process process, Path status, Optional<Path> filesOut, byte[] stdinBytes,
                                  SandboxLimits limits) throws IOException, InterruptedException {
        long handedOver = System.nanoTime();
        OutputBudget budget = new OutputBudget(limits.maxOutputBytes(), () -> terminate(process));
        StreamCapture stdout = new StreamCapture(process.getInputStream(), budget);
        StreamCapture stderr = new StreamCapture(process.getErrorStream(), budget);
        Future<?> out = pumps.submit(stdout);
        Future<?> err = pumps.submit(stderr);
        Optional<Future<?>> in = feedStdin(process, stdinBytes);
        LauncherStatus launcherStatus;
        Collected outputs;
        try {
            awaitOutputEnd(List.of(out, err), limits.wallTimeMs() + LAUNCHER_GRACE_MS);
            in.ifPresent(feeder -> feeder.cancel(true));
            // Ours to close now: the JDK would only close it once the launcher has exited, after its clean-up.
            process.getOutputStream().close();
            launcherStatus = reportedStatus(process, status, stderr);
            // Before following the launcher to its exit, which deletes the file.
            outputs = outputs(launcherStatus, filesOut);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        } finally {
            launcherExits.follow(process, status, filesOut);
        }
        Result result = ResultMapper.map(launcherStatus, stdout.bytes(), stderr.bytes(),
                stdout.truncated(), stderr.truncated(), budget.exceeded(), limits,
                launcherStatus.timeline(handedOver, System.nanoTime()));
        return new LaunchOutcome(launcherStatus, withOutputs(result, outputs));
    }

    /** The job's output files, or why the launcher's collector could not copy them. */
    private record Collected(OutputFiles files, Optional<String> failure) {
    }

    /** The output files the launcher copied out before its status line (so they are complete now). */
    private static Collected outputs(LauncherStatus status, Optional<Path> filesOut) throws IOException {
        if (filesOut.isEmpty() || !status.jobStarted()) {
            return new Collected(OutputFiles.NONE, Optional.empty());
        }
        try {
            return new Collected(OutputArchive.read(filesOut.get()), Optional.empty());
        } catch (OutputArchive.CollectionFailed e) {
            return new Collected(OutputFiles.NONE, Optional.of(e.getMessage()));
        }
    }

    /** A collector that failed is the sandbox's failure, not the job's. */
    private static Result withOutputs(Result result, Collected outputs) {
        if (outputs.failure().isPresent()) {
            return Result.notRun(Status.INTERNAL_ERROR, "The sandbox failed to collect the job's output files: "
                    + outputs.failure().get() + ".").withTimeline(result.timeline());
        }
        return outputs.files().equals(OutputFiles.NONE) ? result : result.withOutputs(outputs.files());
    }

    /**
     * Writes the job's stdin: itself when it fits into the empty pipe, which then takes it without
     * blocking, else through a pump thread (the job may never read all of it). Most jobs' stdin is
     * the code's frame for a prestarted sandbox, a few hundred bytes: writing it here spares the job
     * a hand-off to another thread between the hand-over and its start.
     */
    private Optional<Future<?>> feedStdin(Process process, byte[] bytes) {
        if (bytes.length <= EMPTY_PIPE_TAKES) {
            feed(process.getOutputStream(), bytes);
            return Optional.empty();
        }
        return Optional.of(pumps.submit(() -> feed(process.getOutputStream(), bytes)));
    }

    /** The job may never read its stdin; a broken pipe then is expected, not an error. */
    private static void feed(OutputStream stdin, byte[] data) {
        try (stdin) {
            stdin.write(data);
        } catch (IOException expectedWhenTheJobIgnoresStdin) {
            // nothing to do: the job ended or closed its stdin
        }
    }

    private static void awaitOutputEnd(List<Future<?>> pumps, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (Future<?> pump : pumps) {
            try {
                pump.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("output pump failed", e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("the launcher did not finish within " + LAUNCHER_GRACE_MS + " ms of the wall limit");
            }
        }
    }

    /** The status line. A launcher that let go of its pipes without writing one has died: its exit code says how. */
    private static LauncherStatus reportedStatus(Process process, Path status, StreamCapture stderr)
            throws IOException, InterruptedException {
        Optional<String> line = LauncherStatus.line(status);
        if (line.isEmpty()) {
            if (!process.waitFor(LAUNCHER_GRACE_MS, TimeUnit.MILLISECONDS)) {
                throw new IOException("the launcher closed its output without a status line and did not exit");
            }
            line = LauncherStatus.line(status);
        }
        if (line.isEmpty()) {
            byte[] message = stderr.bytes();
            throw new IOException("the launcher exited with code " + process.exitValue() + " without a status line"
                    + (message.length > 0 ? " (" + ResultMapper.decode(message).strip() + ")" : ""));
        }
        return LauncherStatus.parse(line.get());
    }

    /** Launchers that failed to clean up after their job (a cgroup or mount namespace may be left). */
    public long cleanupFailures() {
        return launcherExits.cleanupFailures();
    }

    /**
     * Waits until the launchers of finished jobs have cleaned up after them and exited, which they
     * do after the job's result. False when some still run at the timeout.
     */
    public boolean awaitExits(long timeoutMs) throws InterruptedException {
        return launcherExits.awaitAll(timeoutMs);
    }

    /** Waits a while for the launchers still cleaning up, then stops the output pumps. */
    @Override
    public void close() {
        try {
            if (!launcherExits.awaitAll(LAUNCHER_GRACE_MS)) {
                LOG.warn("{} launchers were still cleaning up after their jobs at close", launcherExits.running());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pumps.shutdownNow();
    }
}
