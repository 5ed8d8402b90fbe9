package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@Fast
class WorkerStateTest {
    @Test
    void healthyWhileThePollLoopPollsAndNotAfterThirtySecondsWithoutAPoll() {
        ManualClock clock = new ManualClock();
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
        WorkerState state = new WorkerState(new ManualClock());
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
