package dev.sandq.devkit;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's {@code sandq_job_stage_seconds} histogram, from its /metrics (Prometheus text): per
 * stage, the cumulative count of each bucket, by its upper bound in seconds. The stages a reply's
 * header cannot carry (produced, acknowledged, committed) come from here: the difference of two
 * scrapes, around the benchmark, and a quantile estimated as Prometheus' histogram_quantile does.
 */
final class StageHistograms {
    static final String BUCKET = "sandq_job_stage_seconds_bucket";
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private StageHistograms() {
    }

    /** Per stage: bucket upper bound (seconds; +Inf as infinity) to cumulative count. */
    static Map<String, TreeMap<Double, Double>> parse(String scrape) {
        Map<String, TreeMap<Double, Double>> stages = new HashMap<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(BUCKET + "{")) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String stage = null;
            String le = null;
            Matcher m = LABEL.matcher(line.substring(BUCKET.length() + 1, close));
            while (m.find()) {
                if (m.group(1).equals("stage")) {
                    stage = m.group(2);
                } else if (m.group(1).equals("le")) {
                    le = m.group(2);
                }
            }
            if (stage == null || le == null) {
                continue;
            }
            String[] value = line.substring(close + 1).trim().split("\\s+");
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            stages.computeIfAbsent(stage, k -> new TreeMap<>()).put(bound, Double.parseDouble(value[0]));
        }
        return stages;
    }

    /** What was counted between two scrapes (a stage missing before counts from zero). */
    static Map<String, TreeMap<Double, Double>> delta(Map<String, TreeMap<Double, Double>> before,
                                                     Map<String, TreeMap<Double, Double>> after) {
        Map<String, TreeMap<Double, Double>> out = new HashMap<>();
        after.forEach((stage, buckets) -> {
            TreeMap<Double, Double> was = before.getOrDefault(stage, new TreeMap<>());
            TreeMap<Double, Double> d = new TreeMap<>();
            buckets.forEach((le, count) -> d.put(le, count - was.getOrDefault(le, 0.0)));
            out.put(stage, d);
        });
        return out;
    }

    /** How many observations the buckets hold (the +Inf bucket's count). */
    static double count(TreeMap<Double, Double> cumulative) {
        return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    }

    /**
     * The {@code q} quantile in seconds, interpolated linearly within its bucket (from 0 in the
     * first); the highest finite bound when it falls in +Inf; empty without observations.
     */
    static OptionalDouble quantile(TreeMap<Double, Double> cumulative, double q) {
        double total = count(cumulative);
        if (total <= 0) {
            return OptionalDouble.empty();
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return OptionalDouble.of(lowerBound);
                }
                double inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return OptionalDouble.of(lowerBound + (bucket.getKey() - lowerBound) * fraction);
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return OptionalDouble.of(lowerBound);
    }
}
