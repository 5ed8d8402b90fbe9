package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.SandboxTimeline;
import dev.sandq.testing.Fast;
import dev.sandq.wire.JobStage;
import dev.sandq.wire.StagesHeader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job's timeline: stages in order, each timed from the one reached before it, and its header. */
@Fast
class JobTimelineTest {
    private static final long T0 = 5_000_000_000L;

    private static long at(long micros) {
        return T0 + micros * 1_000;
    }

    private static JobTimeline ran() {
        return JobTimeline.polledAt(at(0))
                .with(JobStage.PARSED, at(100))
                .withSandbox(new SandboxTimeline(at(150), at(400), at(1_400), at(3_400), at(3_500)));
    }

    @Test
    void eachStageIsTimedFromTheOneBeforeItInStageOrder() {
        JobTimeline t = ran().with(JobStage.PRODUCED, at(3_600)).with(JobStage.ACKNOWLEDGED, at(5_600));
        Map<JobStage, Duration> expected = new LinkedHashMap<>();
        expected.put(JobStage.PARSED, Duration.ofNanos(100_000));
        expected.put(JobStage.SLOT_ACQUIRED, Duration.ofNanos(50_000));
        expected.put(JobStage.SANDBOX_READY, Duration.ofNanos(250_000));
        expected.put(JobStage.STARTED, Duration.ofMillis(1));
        expected.put(JobStage.EXITED, Duration.ofMillis(2));
        expected.put(JobStage.RESULT_READ, Duration.ofNanos(100_000));
        expected.put(JobStage.PRODUCED, Duration.ofNanos(100_000));
        expected.put(JobStage.ACKNOWLEDGED, Duration.ofMillis(2));
        assertEquals(expected, t.durations());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(t.durations().keySet()), "in stage order");
    }

    /** A rejected job reaches no sandbox stage: produced counts from parsed. */
    @Test
    void aStageNotReachedIsSkippedAndTheNextCountsFromTheOneBefore() {
        JobTimeline t = JobTimeline.polledAt(at(0)).with(JobStage.PARSED, at(80))
                .withSandbox(SandboxTimeline.NONE).with(JobStage.PRODUCED, at(200));
        assertFalse(t.reached(JobStage.SLOT_ACQUIRED));
        assertEquals(Map.of(JobStage.PARSED, Duration.ofNanos(80_000), JobStage.PRODUCED, Duration.ofNanos(120_000)),
                t.durations());
        assertEquals("polled=0,parsed=80", new String(
                JobTimeline.polledAt(at(0)).with(JobStage.PARSED, at(80)).header(), StandardCharsets.US_ASCII));
    }

    @Test
    void theTimelineIsImmutable() {
        JobTimeline polled = JobTimeline.polledAt(at(0));
        JobTimeline parsed = polled.with(JobStage.PARSED, at(10));
        assertFalse(polled.reached(JobStage.PARSED));
        assertTrue(parsed.reached(JobStage.PARSED));
        assertEquals(at(10), parsed.at(JobStage.PARSED));
    }

    @Test
    void aStageReportedBeforeTheOneBeforeItCountsAsNoTime() {
        JobTimeline t = JobTimeline.polledAt(at(100)).with(JobStage.PARSED, at(50));
        assertEquals(Map.of(JobStage.PARSED, Duration.ZERO), t.durations());
    }

    @Test
    void theHeaderHasTheStagesReachedInOrderInMicrosecondsSincePolled() {
        String header = new String(ran().header(), StandardCharsets.US_ASCII);
        assertEquals("polled=0,parsed=100,slot_acquired=150,sandbox_ready=400,started=1400,exited=3400,"
                + "result_read=3500", header);
        Map<String, Long> parsed = StagesHeader.parse(header.getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of("polled", "parsed", "slot_acquired", "sandbox_ready", "started", "exited", "result_read"),
                List.copyOf(parsed.keySet()));
        assertEquals(3_400L, parsed.get("exited"));
    }
}
