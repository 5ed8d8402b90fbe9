package dev.sandq.executor.internal.warm;

import dev.sandq.executor.internal.launch.LauncherStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most one prestarted sandbox per slot, started in the background once the slot's job is done,
 * so that a job to come finds its sandbox built and its interpreter already started.
 */
final class PrestartedSandboxes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrestartedSandboxes.class);
    /** How long a stopped prestarted launcher may take to exit before it is killed. */
    private static final long STOP_GRACE_MS = 5_000;

    /** A slot's prestarted sandbox: what it is built for, and its launch (which may still be under way). */
    private record Pending(PrestartKey key, Future<Prestarted> launch) {
    }

    private final Map<Integer, Pending> bySlot = new ConcurrentHashMap<>();
    private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandq-prestart");
        t.setDaemon(true);
        return t;
    });

    /** Set by close(): a job that ends afterwards leaves its slot without a next sandbox. */
    private boolean closed;

    /** Starts {@code slot}'s next sandbox, for jobs like {@code key}, in the background. The slot must have none. */
    synchronized void start(int slot, PrestartKey key, Callable<Prestarted> launch) {
        if (closed) {
            return;
        }
        if (bySlot.containsKey(slot)) {
            throw new IllegalStateException("slot " + slot + " already has a prestarted sandbox");
        }
        bySlot.put(slot, new Pending(key, starter.submit(launch)));
    }

    /** The slots whose prestarted sandbox is (being) built for jobs like {@code key}, those already built first. */
    List<Integer> slotsFor(PrestartKey key) {
        List<Integer> built = new ArrayList<>();
        List<Integer> building = new ArrayList<>();
        bySlot.forEach((slot, pending) -> {
            if (pending.key().equals(key)) {
                (pending.launch().isDone() ? built : building).add(slot);
            }
        });
        built.addAll(building);
        return built;
    }

    /**
     * The slot's prestarted sandbox when it was built for {@code wanted} and is still alive.
     * Any other is stopped: the slot has none afterwards either way. Waits for one being started.
     * A null {@code wanted} (a job no prestarted sandbox can serve) matches none.
     */
    Optional<Prestarted> take(int slot, PrestartKey wanted) throws InterruptedException {
        Pending pending = bySlot.remove(slot);
        if (pending == null) {
            return Optional.empty();
        }
        Optional<Prestarted> prestarted = await(pending.launch());
        if (prestarted.isPresent() && pending.key().equals(wanted)) {
            if (prestarted.get().process().isAlive()) {
                return prestarted;
            }
            LOG.warn("slot {}'s prestarted sandbox had ended before its job came (launcher exit code {}, status {})",
                    slot, prestarted.get().process().exitValue(), statusLine(prestarted.get()));
        }
        prestarted.ifPresent(PrestartedSandboxes::stop);
        return Optional.empty();
    }

    private static String statusLine(Prestarted prestarted) {
        try {
            return LauncherStatus.line(prestarted.statusFile()).orElse("none");
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    /** The launchers' pids, for tests that account for every process of the slot uids. */
    Set<Long> launcherPids() throws InterruptedException {
        Set<Long> pids = new HashSet<>();
        for (Pending pending : bySlot.values()) {
            await(pending.launch()).ifPresent(p -> pids.add(p.process().pid()));
        }
        return pids;
    }

    @Override
    public synchronized void close() {
        closed = true;
        starter.shutdown();
        for (Integer slot : Set.copyOf(bySlot.keySet())) {
            Pending pending = bySlot.remove(slot);
            try {
                await(pending.launch()).ifPresent(PrestartedSandboxes::stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Optional<Prestarted> await(Future<Prestarted> pending) throws InterruptedException {
        try {
            return Optional.of(pending.get());
        } catch (ExecutionException e) {
            // The slot's next job runs the ordinary way, and reports the sandbox's failure itself if it recurs.
            LOG.warn("could not prestart a sandbox: {}", e.getCause().toString());
            return Optional.empty();
        }
    }

    /** Closing its stdin ends the bootstrap; SIGTERM makes the launcher take the sandbox down anyway. */
    static void stop(Prestarted prestarted) {
        Process process = prestarted.process();
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(prestarted.statusFile());
            if (prestarted.filesOut().isPresent()) {
                Files.deleteIfExists(prestarted.filesOut().get());
            }
        } catch (IOException e) {
            LOG.warn("cannot delete the status file {} of a stopped prestarted sandbox: {}", prestarted.statusFile(),
                    e.toString());
        }
    }
}
