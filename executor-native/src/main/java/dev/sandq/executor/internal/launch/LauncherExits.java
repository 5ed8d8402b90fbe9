package dev.sandq.executor.internal.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launchers that have reported their job and are still cleaning up (removing the job's cgroup,
 * tearing down its mount namespace). A job's result does not wait for that; this class does.
 * When a launcher exits this logs any clean-up failure, which the launcher appends to its status
 * file after the status line, and deletes the file. {@link #awaitAll} lets the sandbox's close
 * leave nothing running.
 */
final class LauncherExits {
    private static final Logger LOG = LoggerFactory.getLogger(LauncherExits.class);

    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private final LongAdder cleanupFailures = new LongAdder();

    /** Follows {@code launcher}, whose status line is (or was to be) in {@code statusFile}, to its exit. */
    void follow(Process launcher, Path statusFile) {
        follow(launcher, statusFile, Optional.empty());
    }

    /** As {@link #follow(Process, Path)}, and deletes the launcher's files-out file too once it has exited. */
    void follow(Process launcher, Path statusFile, Optional<Path> filesOut) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.add(done);
        launcher.onExit().thenAccept(exited -> {
            filesOut.ifPresent(LauncherExits::deleteFilesOut);
            afterExit(exited, statusFile);
        }).whenComplete((ignored, failure) -> {
            pending.remove(done);
            done.complete(null);
        });
    }

    private static void deleteFilesOut(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete the files-out file {} of a launcher: {}", file, e.toString());
        }
    }

    private void afterExit(Process launcher, Path statusFile) {
        if (!Files.exists(statusFile)) {
            return; // the launcher failed before it could write one: its caller has reported that
        }
        try {
            List<String> lines = Files.readAllLines(statusFile);
            if (lines.size() > 1) {
                cleanupFailures.increment();
                LOG.warn("the launcher (pid {}, exit code {}) failed to clean up after its job: {}", launcher.pid(),
                        launcher.exitValue(), String.join(" | ", lines.subList(1, lines.size())));
            }
            Files.deleteIfExists(statusFile);
        } catch (IOException e) {
            LOG.warn("cannot read or delete the status file {} of the launcher (pid {}): {}", statusFile,
                    launcher.pid(), e.toString());
        }
    }

    /** Waits until every followed launcher has exited; false when some are still running at the timeout. */
    boolean awaitAll(long timeoutMs) throws InterruptedException {
        CompletableFuture<?>[] all = pending.toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(all).get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot happen: the futures awaited are only ever completed normally", e);
        }
    }

    /** Launchers that failed to clean up after their job (a cgroup or mount namespace may be left). */
    long cleanupFailures() {
        return cleanupFailures.sum();
    }

    int running() {
        return pending.size();
    }
}
