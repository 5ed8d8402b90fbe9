package dev.sandq.worker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slots: runs taken jobs on a fixed pool of slot threads, hands their {@link Completion}s
 * back to the poll thread, counts the jobs in flight, and keeps deferred jobs until the sandbox
 * admits jobs again. Every method but {@link #inFlightGauge()} is for the poll thread.
 */
final class SlotDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SlotDispatcher.class);
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final ExecutorService pool;
    private final JobProcessor processor;
    private final DeliveryStrategy delivery;
    private final BooleanSupplier stopping;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final List<Completion.Deferred> deferred = new ArrayList<>();
    private int inFlight;
    private volatile int inFlightGauge;

    SlotDispatcher(int slots, JobProcessor processor, DeliveryStrategy delivery, BooleanSupplier stopping,
                   WorkerMetrics metrics, Clock clock) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, "sandq-slot-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        this.processor = processor;
        this.delivery = delivery;
        this.stopping = stopping;
        this.metrics = metrics;
        this.clock = clock;
    }

    void dispatch(TakenJob job) {
        inFlight++;
        inFlightGauge = inFlight;
        pool.execute(new SlotTask(job, processor, delivery, this::completed, stopping, metrics, clock));
    }

    /** Slot thread: a job's completion, for the poll thread to collect. */
    private void completed(Completion c) {
        completions.add(c);
        delivery.jobs().wake();
    }

    /** Hands every completion that arrived since the last call to {@code handler}. */
    void collect(Consumer<Completion> handler) {
        Completion c;
        while ((c = completions.poll()) != null) {
            inFlight--;
            handler.accept(c);
        }
        inFlightGauge = inFlight;
    }

    void defer(Completion.Deferred d) {
        deferred.add(d);
    }

    /** Drops the deferred jobs whose lease is not {@code owned} any more. */
    void keepDeferred(Predicate<PartitionLease> owned) {
        deferred.removeIf(d -> !owned.test(d.job().lease()));
    }

    /** Runs the deferred jobs again (those whose lease is still {@code owned}). */
    void resubmitDeferred(Predicate<PartitionLease> owned) {
        if (deferred.isEmpty()) {
            return;
        }
        List<Completion.Deferred> again = new ArrayList<>(deferred);
        deferred.clear();
        for (Completion.Deferred d : again) {
            if (owned.test(d.job().lease())) {
                dispatch(d.job());
            }
        }
    }

    int inFlight() {
        return inFlight;
    }

    /** Jobs taken and not yet answered: running or queued on the slots, or deferred. */
    int held() {
        return inFlight + deferred.size();
    }

    int inFlightGauge() {
        return inFlightGauge;
    }

    /**
     * Lets the slots finish their queued tasks and stop; when jobs are still in flight (the drain
     * deadline passed), interrupts them instead: they are killed and their offsets not committed.
     */
    void stop() throws InterruptedException {
        if (inFlight > 0) {
            LOG.warn("{} job(s) still running at the drain deadline are killed and not committed", inFlight);
            pool.shutdownNow();
        } else {
            pool.shutdown();
        }
        if (!pool.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("slots did not stop within {} s", STOP_TIMEOUT_SECONDS);
        }
    }
}
