package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

@Fast
class WorkerStateTest {
    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void healthyWhileThePollLoopPollsAndNotAfterThirtySecondsWithoutAPoll() {
        TestClock clock = new TestClock();
        WorkerState state = new WorkerState(clock);
        assertFalse(state.healthy(), "not started");
        state.started();
        clock.advance(Duration.ofSeconds(29));
        assertTrue(state.healthy());
        state.polled();
        clock.advance(Duration.ofSeconds(29));
        assertTrue(state.healthy());
        clock.advance(Duration.ofSeconds(1));
        assertFalse(state.healthy(), "30 s since the last poll");
    }

    @Test
    void readyOnlyWhileRunningNotDrainingNotFailedAndAdmitting() throws Exception {
        WorkerState state = new WorkerState(new TestClock());
        state.started();
        assertTrue(state.ready(true));
        assertFalse(state.ready(false), "circuit open");
        state.drain();
        assertFalse(state.ready(true), "draining");
        RuntimeException cause = new RuntimeException("fenced");
        state.fail(cause);
        assertEquals(cause, state.failure());
        assertFalse(state.healthy());
        assertFalse(state.awaitStopped(Duration.ZERO));
        state.stopped();
        assertTrue(state.awaitStopped(Duration.ZERO));
    }
}
