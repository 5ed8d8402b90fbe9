package dev.sandq.devkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The bench's jobs in rounds, with a bare measurement before the first round and after each: the
 * worker and the bare interpreter take turns, so that the host's drift (a shared VM's speed moves
 * by 10 % and more within a minute here) weighs on both alike. Each round is compared with the
 * mean of the two bare measurements around it; the whole run with those means weighted by the
 * rounds' times.
 */
final class InterleavedRounds {
    /** Rounds get at least this many jobs: fewer, and the pipeline's fill and drain would weigh. */
    static final int MIN_JOBS_PER_ROUND = 50;

    /** One bare measurement: starts per second, and the machine's CPU per start. */
    record Bare(double perSecond, double cpuMsEach) {
    }

    /** One round of jobs: how many, in how many seconds. */
    record Round(int jobs, double seconds) {
        double perSecond() {
            return jobs / seconds;
        }
    }

    private final List<Bare> bare = new ArrayList<>();
    private final List<Round> rounds = new ArrayList<>();

    /**
     * How many jobs each round gets: {@code jobs} split as evenly as can be into {@code rounds}
     * rounds, fewer rounds when they would get under {@link #MIN_JOBS_PER_ROUND} jobs each.
     */
    static List<Integer> plan(int jobs, int rounds) {
        if (jobs < 1 || rounds < 1) {
            throw new IllegalArgumentException("jobs and rounds must be >= 1, got " + jobs + " and " + rounds);
        }
        int n = Math.max(1, Math.min(rounds, jobs / MIN_JOBS_PER_ROUND));
        List<Integer> plan = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            plan.add(jobs / n + (i < jobs % n ? 1 : 0));
        }
        return plan;
    }

    /** The bare measurement before the first round, or after the last one measured. */
    void bare(Bare b) {
        if (bare.size() != rounds.size()) {
            throw new IllegalStateException("a bare measurement goes before the first round and after each round");
        }
        bare.add(b);
    }

    /** A round of jobs, measured after the bare measurement before it. */
    void round(Round r) {
        if (bare.size() != rounds.size() + 1) {
            throw new IllegalStateException("a round goes between two bare measurements");
        }
        rounds.add(r);
    }

    List<Round> rounds() {
        return List.copyOf(rounds);
    }

    List<Bare> bareMeasurements() {
        return List.copyOf(bare);
    }

    /** Jobs per second over all rounds. */
    double perSecond() {
        return rounds.stream().mapToInt(Round::jobs).sum() / rounds.stream().mapToDouble(Round::seconds).sum();
    }

    /** The bare starts per second around the rounds: each round's two neighbours' mean, weighted by its time. */
    double barePerSecond() {
        return aroundRounds(Bare::perSecond);
    }

    /** The machine's CPU per bare start, weighted as {@link #barePerSecond()}. */
    double bareCpuMsEach() {
        return aroundRounds(Bare::cpuMsEach);
    }

    /** The worker's rate over the bare rate around it, for the whole run. */
    double ratio() {
        return perSecond() / barePerSecond();
    }

    /** Each round's rate over the mean of the bare rates just before and after it. */
    List<Double> roundRatios() {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            ratios.add(rounds.get(i).perSecond() / around(i, Bare::perSecond));
        }
        return ratios;
    }

    private double aroundRounds(ToDoubleFunction<Bare> value) {
        if (rounds.isEmpty()) {
            throw new IllegalStateException("no round measured");
        }
        double weighted = 0;
        double seconds = 0;
        for (int i = 0; i < rounds.size(); i++) {
            weighted += around(i, value) * rounds.get(i).seconds();
            seconds += rounds.get(i).seconds();
        }
        return weighted / seconds;
    }

    /** The mean of {@code value} over the two bare measurements around round {@code i}. */
    private double around(int i, ToDoubleFunction<Bare> value) {
        if (bare.size() != rounds.size() + 1) {
            throw new IllegalStateException("every round needs a bare measurement before and after it");
        }
        return (value.applyAsDouble(bare.get(i)) + value.applyAsDouble(bare.get(i + 1))) / 2;
    }
}
