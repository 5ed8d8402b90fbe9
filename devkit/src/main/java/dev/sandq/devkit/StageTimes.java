package dev.sandq.devkit;

import dev.sandq.wire.JobStage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages' times of the jobs of a benchmark, from their replies' sandq_stages headers: each
 * stage's time is from the stage before it in the header (the one the job reached before it).
 */
final class StageTimes {
    /** Milliseconds per stage name, in the order of {@link JobStage}, then any other in order of arrival. */
    private final Map<String, List<Double>> millis = new LinkedHashMap<>();
    private int replies;

    StageTimes() {
        for (JobStage stage : JobStage.values()) {
            if (stage != JobStage.POLLED) {
                millis.put(stage.wireName(), new ArrayList<>());
            }
        }
    }

    /** One reply's header, parsed (stage name to microseconds since polled, in order). */
    void add(Map<String, Long> header) {
        replies++;
        Long previous = null;
        for (Map.Entry<String, Long> stage : header.entrySet()) {
            if (previous != null) {
                millis.computeIfAbsent(stage.getKey(), k -> new ArrayList<>())
                        .add(Math.max(0, stage.getValue() - previous) / 1000.0);
            }
            previous = stage.getValue();
        }
    }

    /** Replies that had a header. */
    int replies() {
        return replies;
    }

    /** The sorted times of each stage any reply had, in stage order. */
    Map<String, double[]> sorted() {
        Map<String, double[]> out = new LinkedHashMap<>();
        millis.forEach((stage, times) -> {
            if (!times.isEmpty()) {
                double[] a = times.stream().mapToDouble(Double::doubleValue).toArray();
                Arrays.sort(a);
                out.put(stage, a);
            }
        });
        return out;
    }

    /** The nearest-rank percentile {@code p} of {@code sorted}. */
    static double percentile(double[] sorted, int p) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }
}
