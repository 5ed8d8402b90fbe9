package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sandq.devkit.InterleavedRounds.Bare;
import dev.sandq.devkit.InterleavedRounds.Round;
import dev.sandq.testing.Fast;
import java.util.List;
import org.junit.jupiter.api.Test;

@Fast
class InterleavedRoundsTest {
    @Test
    void jobsAreSplitEvenlyIntoRoundsOfAtLeastFifty() {
        assertEquals(List.of(250, 250, 250, 250), InterleavedRounds.plan(1000, 4));
        assertEquals(List.of(51, 50, 50, 50), InterleavedRounds.plan(201, 4));
        assertEquals(List.of(67, 67, 66), InterleavedRounds.plan(200, 3));
        assertEquals(List.of(50, 50, 50, 50), InterleavedRounds.plan(200, 8), "no round under 50 jobs");
        assertEquals(List.of(30), InterleavedRounds.plan(30, 4), "one round when the jobs are few");
        assertThrows(IllegalArgumentException.class, () -> InterleavedRounds.plan(0, 4));
    }

    /** The host slows down as the run goes on: each round is judged against the bare rate of its own time. */
    @Test
    void eachRoundIsComparedWithTheBareRateAroundIt() {
        InterleavedRounds run = new InterleavedRounds();
        run.bare(new Bare(120, 14));
        run.round(new Round(100, 1.0)); // 100 jobs/s against (120 + 80) / 2 = 100
        run.bare(new Bare(80, 18));
        run.round(new Round(100, 2.0)); // 50 jobs/s against (80 + 60) / 2 = 70
        run.bare(new Bare(60, 20));

        assertEquals(List.of(1.0, 50 / 70.0), run.roundRatios());
        assertEquals(200 / 3.0, run.perSecond(), 1e-9);
        assertEquals((100 * 1.0 + 70 * 2.0) / 3.0, run.barePerSecond(), 1e-9);
        assertEquals((200 / 3.0) / (240 / 3.0), run.ratio(), 1e-9);
        assertEquals((16 * 1.0 + 19 * 2.0) / 3.0, run.bareCpuMsEach(), 1e-9);
    }

    @Test
    void roundsAndBareMeasurementsTakeTurns() {
        InterleavedRounds run = new InterleavedRounds();
        assertThrows(IllegalStateException.class, () -> run.round(new Round(1, 1)), "a bare measurement comes first");
        run.bare(new Bare(1, 1));
        assertThrows(IllegalStateException.class, () -> run.bare(new Bare(1, 1)), "then a round");
        run.round(new Round(1, 1));
        assertThrows(IllegalStateException.class, run::ratio, "and a bare measurement after it");
    }
}
