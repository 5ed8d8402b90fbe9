package dev.sandq.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sandq.wire.StagesHeader;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/** What the bench reads from each reply of a measured run: its times, the job's own CPU, its stages. */
final class ReplySamples {
    private final double[] latencies;
    private final double[] inWorker;
    private final double[] inSandbox;
    private final double[] toWorker;
    private final double[] backFromWorker;
    private final StageTimes stages = new StageTimes();
    private int count;
    private long jobsCpuMs;

    ReplySamples(int jobs) {
        latencies = new double[jobs];
        inWorker = new double[jobs];
        inSandbox = new double[jobs];
        toWorker = new double[jobs];
        backFromWorker = new double[jobs];
    }

    /**
     * One reply, received {@code latencyMs} after its job was sent; {@code sentAtEpochMs} and
     * {@code receivedAtEpochMs} on this host's clock, which the worker's started_at and
     * finished_at share when it runs here (the two Kafka hops around it, to the millisecond).
     */
    void add(double latencyMs, JsonNode reply, long sentAtEpochMs, long receivedAtEpochMs, byte[] stagesHeader) {
        Instant startedAt = Instant.parse(reply.path("started_at").asText());
        Instant finishedAt = Instant.parse(reply.path("finished_at").asText());
        latencies[count] = latencyMs;
        inWorker[count] = Duration.between(startedAt, finishedAt).toNanos() / 1e6;
        toWorker[count] = startedAt.toEpochMilli() - sentAtEpochMs;
        backFromWorker[count] = receivedAtEpochMs - finishedAt.toEpochMilli();
        inSandbox[count] = reply.path("usage").path("wall_time_ms").asDouble();
        jobsCpuMs += reply.path("usage").path("cpu_time_ms").asLong();
        if (stagesHeader != null) {
            stages.add(StagesHeader.parse(stagesHeader));
        }
        count++;
    }

    /** How many replies it holds at most. */
    int capacity() {
        return latencies.length;
    }

    /** Replies read so far. */
    int count() {
        return count;
    }

    /** The jobs' own CPU (usage.cpu_time_ms), summed. */
    long jobsCpuMs() {
        return jobsCpuMs;
    }

    StageTimes stages() {
        return stages;
    }

    /** The p-th percentiles, in ms, of submit to reply. */
    double latency(int p) {
        return percentile(latencies, p);
    }

    /** ... of started_at to finished_at. */
    double inWorker(int p) {
        return percentile(inWorker, p);
    }

    /** ... of usage.wall_time_ms. */
    double inSandbox(int p) {
        return percentile(inSandbox, p);
    }

    /** ... of the send to started_at. */
    double toWorker(int p) {
        return percentile(toWorker, p);
    }

    /** ... of finished_at to the reply's arrival. */
    double backFromWorker(int p) {
        return percentile(backFromWorker, p);
    }

    private double percentile(double[] values, int p) {
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return StageTimes.percentile(sorted, p);
    }
}
