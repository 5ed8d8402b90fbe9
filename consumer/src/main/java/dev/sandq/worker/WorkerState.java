package dev.sandq.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The worker's lifecycle as every thread sees it: stop requested, draining, running, stopped,
 * the fatal error, and when the poll loop last polled. Changed by the poll thread (and
 * {@link #requestStop()} from any thread); read by any.
 */
final class WorkerState {
    /** Not healthy when the poll loop has not polled for this long. */
    private static final Duration POLL_OVERDUE = Duration.ofSeconds(30);

    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean draining;
    private volatile boolean running;
    private volatile Throwable fatal;
    private volatile Instant lastPoll;

    WorkerState(Clock clock) {
        this.clock = clock;
    }

    void requestStop() {
        stopRequested = true;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    void started() {
        running = true;
        lastPoll = clock.instant();
    }

    void polled() {
        lastPoll = clock.instant();
    }

    /** From now on no job is taken or started. */
    void drain() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    void fail(Throwable cause) {
        fatal = cause;
    }

    boolean failed() {
        return fatal != null;
    }

    Throwable failure() {
        return fatal;
    }

    void stopped() {
        running = false;
        stopped.countDown();
    }

    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Running, not stopping, not failed, and {@code admitting} (the sandbox circuit is not open). */
    boolean ready(boolean admitting) {
        return running && !draining && fatal == null && admitting;
    }

    /** Running, not failed, and the poll loop polled recently. */
    boolean healthy() {
        Instant last = lastPoll;
        return running && fatal == null && last != null
                && Duration.between(last, clock.instant()).compareTo(POLL_OVERDUE) < 0;
    }
}
