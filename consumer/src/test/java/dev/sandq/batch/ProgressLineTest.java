package dev.sandq.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@Fast
class ProgressLineTest {
    @Test
    void showsDoneOfTotalRateEtaAndCountsByStatus() {
        Tally t = new Tally();
        for (int i = 0; i < 90; i++) {
            t.answered("ok");
        }
        for (int i = 0; i < 10; i++) {
            t.answered("error");
        }
        t.unanswered("x", "line 3", "no reply");
        t.invalid("line 4", "not JSON");
        assertEquals("102/1000 (10%)  10.2 jobs/s  ETA 1m28s  error 10  ok 90  not answered 1  invalid 1",
                ProgressLine.render(t.snapshot(), 1000, Duration.ofSeconds(10)));
    }

    @Test
    void jobsAnsweredBeforeAResumeCountAsDoneButNotInTheRate() {
        Tally t = new Tally();
        for (int i = 0; i < 50; i++) {
            t.skipped();
        }
        for (int i = 0; i < 5; i++) {
            t.answered("ok");
        }
        assertEquals("55/100 (55%)  1.0 jobs/s  ETA 45s  ok 5",
                ProgressLine.render(t.snapshot(), 100, Duration.ofSeconds(5)));
    }

    @Test
    void nothingDoneYetHasNoEta() {
        assertEquals("0/10 (0%)  0.0 jobs/s  ETA ?", ProgressLine.render(new Tally().snapshot(), 10, Duration.ZERO));
    }

    @Test
    void durationsReadAsHoursMinutesSeconds() {
        assertEquals("42s", ProgressLine.duration(Duration.ofSeconds(42)));
        assertEquals("3m05s", ProgressLine.duration(Duration.ofSeconds(185)));
        assertEquals("1h02m", ProgressLine.duration(Duration.ofMinutes(62)));
    }

    @Test
    void withoutATotalThereIsNoPercentageNorEta() {
        Tally t = new Tally();
        t.answered("ok");
        assertEquals("1 done  0.5 jobs/s  ok 1", ProgressLine.render(t.snapshot(), -1, Duration.ofSeconds(2)));
    }
}
