package dev.sandq.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Waiting in tests: on a condition, never for a fixed time. Each wait says what it waits for, and
 * one that times out fails with that description (computed then, so it can show what was seen),
 * not with a bare timeout. The condition is checked in the calling thread (it may drive a
 * KafkaConsumer or read a process's output, neither of which may be shared with another thread),
 * first at once, then after each poll interval; {@link Duration#ZERO} as the interval suits a
 * condition that waits by itself (a Kafka poll).
 *
 * <p>An exception from the condition ends the wait: an {@link AssertionError} or unchecked
 * exception as it is (a condition may assert that the process it watches is still alive), a checked
 * one wrapped in an AssertionError naming the wait.
 */
public final class Await {
    /** The poll interval when none is given: for conditions that are cheap to check. */
    public static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails after {@code timeout}, naming {@code awaited}. */
    public static void until(Duration timeout, Callable<Boolean> condition, Supplier<String> awaited) {
        until(timeout, POLL, condition, awaited);
    }

    /** Returns once {@code condition} holds; fails after {@code timeout}, naming {@code awaited}. */
    public static void until(Duration timeout, Duration pollInterval, Callable<Boolean> condition,
                             Supplier<String> awaited) {
        untilPresent(timeout, pollInterval, () -> condition.call() ? Optional.of(Boolean.TRUE) : Optional.empty(),
                awaited);
    }

    /** The first value {@code probe} finds; fails after {@code timeout}, naming {@code awaited}. */
    public static <T> T untilPresent(Duration timeout, Duration pollInterval, Callable<Optional<T>> probe,
                                     Supplier<String> awaited) {
        requireNonNegative(timeout, "timeout");
        requireNonNegative(pollInterval, "poll interval");
        long start = System.nanoTime();
        while (true) {
            Optional<T> value = call(probe, awaited);
            if (value.isPresent()) {
                return value.get();
            }
            long left = timeout.toNanos() - (System.nanoTime() - start);
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + awaited.get());
            }
            pause(Math.min(left, pollInterval.toNanos()), awaited);
        }
    }

    /**
     * For a negative assertion that needs time: fails as soon as {@code happened} holds, returns once
     * it has not for the whole {@code window}. The caller states why the window is long enough for
     * what it rules out to have shown; {@code what} describes it when it did.
     */
    public static void nothingFor(Duration window, Duration pollInterval, Callable<Boolean> happened,
                                  Supplier<String> what) {
        requireNonNegative(window, "window");
        requireNonNegative(pollInterval, "poll interval");
        long start = System.nanoTime();
        Supplier<String> during = () -> window + " without: " + what.get();
        while (true) {
            if (call(happened, during)) {
                throw new AssertionError("within " + Duration.ofNanos(System.nanoTime() - start) + " of the "
                        + window + " in which it must not happen: " + what.get());
            }
            long left = window.toNanos() - (System.nanoTime() - start);
            if (left <= 0) {
                return;
            }
            pause(Math.min(left, pollInterval.toNanos()), during);
        }
    }

    private static <T> T call(Callable<T> condition, Supplier<String> awaited) {
        try {
            return condition.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + awaited.get(), e);
        } catch (Exception e) {
            throw new AssertionError("waiting for " + awaited.get() + ": " + e, e);
        }
    }

    private static void pause(long nanos, Supplier<String> awaited) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)); // between two checks of the condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + awaited.get(), e);
        }
    }

    private static void requireNonNegative(Duration d, String name) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
    }
}
