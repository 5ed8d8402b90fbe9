package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import dev.sandq.wire.StagesHeader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The bench's stage figures: from the replies' sandq_stages headers, and from two /metrics scrapes. */
@Fast
class StageTimesTest {
    private static Map<String, Long> header(String value) {
        return StagesHeader.parse(value.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void eachStageCountsFromTheOneBeforeItInTheHeader() {
        StageTimes times = new StageTimes();
        times.add(header("polled=0,parsed=200,slot_acquired=250,sandbox_ready=300,started=1300,exited=3300,result_read=3400"));
        times.add(header("polled=0,parsed=400,slot_acquired=450,sandbox_ready=500,started=2500,exited=4500,result_read=4700"));
        times.add(header("polled=0,parsed=100")); // rejected: no sandbox stages
        Map<String, double[]> sorted = times.sorted();
        assertEquals(3, times.replies());
        assertEquals(List.of("parsed", "slot_acquired", "sandbox_ready", "started", "exited", "result_read"),
                List.copyOf(sorted.keySet()), "in stage order, stages no reply reached left out");
        assertArrayEquals(new double[] {0.1, 0.2, 0.4}, sorted.get("parsed"), 1e-9);
        assertArrayEquals(new double[] {1.0, 2.0}, sorted.get("started"), 1e-9);
        assertEquals(0.2, StageTimes.percentile(sorted.get("parsed"), 50), 1e-9);
        assertEquals(0.4, StageTimes.percentile(sorted.get("parsed"), 99), 1e-9);
    }

    @Test
    void aStageNotReachedMakesTheNextCountFromTheLastReached() {
        StageTimes times = new StageTimes();
        times.add(header("polled=0,parsed=100,produced=350"));
        assertArrayEquals(new double[] {0.25}, times.sorted().get("produced"), 1e-9);
    }

    /** What happened during the run is the difference of the scrapes; quantiles as histogram_quantile gives them. */
    @Test
    void theStagesAfterTheSendComeFromTheDifferenceOfTwoScrapes() {
        Map<String, TreeMap<Double, Double>> run = StageHistograms.delta(
                StageHistograms.parse(BenchFixtures.read("metrics-before.txt")),
                StageHistograms.parse(BenchFixtures.read("metrics-after.txt")));
        TreeMap<Double, Double> committed = run.get("committed");
        assertEquals(10.0, StageHistograms.count(committed));
        assertEquals(0.25, StageHistograms.quantile(committed, 0.5).getAsDouble(), 1e-9);
        assertEquals(0.985, StageHistograms.quantile(committed, 0.99).getAsDouble(), 1e-9);
        TreeMap<Double, Double> produced = run.get("produced");
        assertEquals(10.0, StageHistograms.count(produced), "a stage first seen after counts from 0");
        assertEquals(1e-4 + 1e-4 * 2 / 7, StageHistograms.quantile(produced, 0.5).getAsDouble(), 1e-12);
        assertEquals(OptionalDouble.empty(), StageHistograms.quantile(new TreeMap<>(), 0.5));
    }

    @Test
    void aQuantileInTheInfBucketIsTheHighestFiniteBound() {
        TreeMap<Double, Double> buckets = new TreeMap<>(Map.of(0.1, 1.0, 1.0, 1.0, Double.POSITIVE_INFINITY, 4.0));
        assertEquals(1.0, StageHistograms.quantile(buckets, 0.9).getAsDouble(), 1e-9);
    }
}
