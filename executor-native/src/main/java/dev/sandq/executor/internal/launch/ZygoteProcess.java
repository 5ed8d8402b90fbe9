package dev.sandq.executor.internal.launch;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A launch handed to a zygote by the worker itself ({@link ZygoteClient}), as a {@link Process}:
 * the zygote's child, which has the launcher's role, stands for the launcher. Its streams are the
 * launch's pipes; its exit value is the child's exit code, sent on the connection (125 when the
 * child ended without one); {@link #destroy()} sends it SIGTERM (the launcher's termination
 * request), {@link #destroyForcibly()} closes the connection, which the child also takes as one,
 * as it took a stub's death. The child is the zygote's, not ours: it is never SIGKILLed, so that
 * it always removes the job's cgroup.
 */
public final class ZygoteProcess extends Process {
    private static final int SIGTERM = 15;
    private static final ExecutorService EXIT_READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sandq-zygote-exits");
        t.setDaemon(true);
        return t;
    });

    private final long pid;
    private final OwnedFd connection;
    private final OwnedFd stdin;
    private final OwnedFd stdout;
    private final OwnedFd stderr;
    private final OutputStream stdinStream;
    private final InputStream stdoutStream;
    private final InputStream stderrStream;
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private volatile int exitCode = -1;

    private ZygoteProcess(ZygoteClient client, ZygoteClient.Handed handed) {
        this.pid = handed.childPid();
        this.connection = new OwnedFd(handed.connection(), "the zygote connection");
        this.stdin = new OwnedFd(handed.stdin(), "the launch's stdin");
        this.stdout = new OwnedFd(handed.stdout(), "the launch's stdout");
        this.stderr = new OwnedFd(handed.stderr(), "the launch's stderr");
        this.stdinStream = stdin.outputStream();
        this.stdoutStream = stdout.inputStream();
        this.stderrStream = stderr.inputStream();
        EXIT_READERS.execute(() -> awaitExit(client));
    }

    /** Hands the launch {@code argv} to the zygote at {@code socket} through the launcher's library at {@code library}. */
    public static ZygoteProcess start(Path library, Path socket, List<String> argv) throws IOException {
        ZygoteClient client = ZygoteClient.of(library);
        return new ZygoteProcess(client, client.launch(socket, argv));
    }

    private void awaitExit(ZygoteClient client) {
        int code;
        try {
            code = (int) connection.use(client::waitExit);
        } catch (IOException e) {
            code = ZygoteClient.CHILD_LOST;
        }
        exitCode = code;
        connection.close();
        exit.complete(this);
    }

    @Override
    public OutputStream getOutputStream() {
        return stdinStream;
    }

    @Override
    public InputStream getInputStream() {
        return stdoutStream;
    }

    @Override
    public InputStream getErrorStream() {
        return stderrStream;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot happen: the exit is only ever completed normally", e);
        }
        return exitCode;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot happen: the exit is only ever completed normally", e);
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("the zygote's child " + pid + " has not exited");
        }
        return exitCode;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.copy();
    }

    /** SIGTERM to the child, which terminates the job; the pipes stay open (see {@link LauncherRunner}). */
    public void terminate() {
        if (exit.isDone()) {
            return; // its pid may be another process's by now
        }
        try {
            ZygoteClient.Libc.INSTANCE.kill((int) pid, SIGTERM);
        } catch (LastErrorException e) {
            // ESRCH: it has just ended, and its exit code is on the way.
        }
    }

    /** As the JDK's processes: SIGTERM, and this side's pipes closed. */
    @Override
    public void destroy() {
        terminate();
        closeStreams();
    }

    /** Hangs up: the child terminates the job, as it did when a stub was killed; this process counts as exited. */
    @Override
    public Process destroyForcibly() {
        try {
            // shutdown, not close: the exit's reader is blocked on the connection, and holds it open.
            connection.use(fd -> {
                ZygoteClient.Libc.INSTANCE.shutdown(fd, ZygoteClient.SHUT_RDWR);
                return 0;
            });
        } catch (IOException | LastErrorException e) {
            // already closed: the child has exited
        }
        closeStreams();
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    private void closeStreams() {
        stdin.close();
        stdout.close();
        stderr.close();
    }

    @Override
    public String toString() {
        return "zygote child " + pid + (exit.isDone() ? " exited " + exitCode : " running");
    }
}
