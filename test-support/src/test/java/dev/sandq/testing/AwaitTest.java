package dev.sandq.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Fast
@Timeout(30)
class AwaitTest {
    private final AtomicInteger checks = new AtomicInteger();

    @Test
    void untilReturnsOnceTheConditionHolds() {
        Await.until(Duration.ofSeconds(10), () -> checks.incrementAndGet() == 3, () -> "the third check");
        assertEquals(3, checks.get());
    }

    @Test
    void untilFailsAtTheTimeoutWithTheDescriptionOfThatMoment() {
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until(Duration.ofMillis(100),
                Duration.ofMillis(10), () -> checks.incrementAndGet() < 0, () -> "a negative count, got " + checks.get()));
        assertEquals("timed out after PT0.1S waiting for a negative count, got " + checks.get(), e.getMessage());
        assertTrue(checks.get() >= 2, "checked again after each interval: " + checks.get());
    }

    @Test
    void theConditionIsCheckedOnceEvenWithNoTimeLeft() {
        Await.until(Duration.ZERO, () -> checks.incrementAndGet() == 1, () -> "the first check");
        assertThrows(AssertionError.class, () -> Await.until(Duration.ZERO, () -> false, () -> "never"));
    }

    @Test
    void untilPresentReturnsTheFirstValueFound() {
        String found = Await.untilPresent(Duration.ofSeconds(10), Duration.ZERO,
                () -> checks.incrementAndGet() == 2 ? Optional.of("second") : Optional.empty(), () -> "a value");
        assertEquals("second", found);
    }

    @Test
    void anAssertionErrorFromTheConditionEndsTheWaitAsItIs() {
        AssertionError dead = new AssertionError("the process died");
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until(Duration.ofSeconds(10), () -> {
            checks.incrementAndGet();
            throw dead;
        }, () -> "the process's output"));
        assertSame(dead, e);
        assertEquals(1, checks.get());
    }

    @Test
    void aCheckedExceptionFromTheConditionFailsNamingTheWait() {
        IOException refused = new IOException("connection refused");
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until(Duration.ofSeconds(10), () -> {
            throw refused;
        }, () -> "the server"));
        assertEquals("waiting for the server: " + refused, e.getMessage());
        assertSame(refused, e.getCause());
    }

    @Test
    void nothingForReturnsAfterTheWholeWindowWhenNothingHappened() {
        long start = System.nanoTime();
        Await.nothingFor(Duration.ofMillis(200), Duration.ofMillis(10), () -> {
            checks.incrementAndGet();
            return false;
        }, () -> "something");
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(200).toNanos(), "waited the whole window");
        assertTrue(checks.get() >= 2, "checked throughout: " + checks.get());
    }

    @Test
    void nothingForFailsAsSoonAsItHappens() {
        long start = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> Await.nothingFor(Duration.ofSeconds(20),
                Duration.ofMillis(10), () -> checks.incrementAndGet() == 3, () -> "check " + checks.get()));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "not at the end of the window");
        assertTrue(e.getMessage().endsWith("of the PT20S in which it must not happen: check 3"), e.getMessage());
    }

    @Test
    void negativeDurationsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Await.until(Duration.ofSeconds(-1), () -> true, () -> "x"));
        assertEquals("timeout must not be negative, got PT-1S", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Await.nothingFor(Duration.ofSeconds(1), Duration.ofMillis(-1), () -> false, () -> "x"));
    }
}
