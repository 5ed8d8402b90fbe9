package dev.sandq.worker;

import dev.sandq.wire.JobParser;
import dev.sandq.worker.topics.TopicNames;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the worker is told, immutable and validated when built; every failure message
 * contains the bad value. Build it with {@link #builder(String)}.
 *
 * @param bootstrapServers   Kafka bootstrap servers
 * @param kafkaProperties    client properties passed to consumer, producer and admin unchanged
 *                           (they override sandq's defaults, except enable.auto.commit and serdes)
 * @param groupId            consumer group of all workers
 * @param slots              jobs at once
 * @param prefetch           records taken beyond the busy slots before partitions are paused
 * @param drainTimeout       how long a stopping worker lets in-flight jobs finish
 * @param maxCodeBytes       largest code (preload included) a job may carry, in UTF-8 bytes
 * @param maxInputBytes      largest input (stdin and the inputs' JSON together) a job may carry
 * @param maxReplyBytes      largest reply record; 0 = the results topic's max.message.bytes
 * @param workerId           shown in results; also names the transactional id in exactly-once mode
 * @param pollTimeout        longest a poll() waits (while every partition is paused, a slot that finishes ends the wait)
 * @param produceAttempts    tries to produce one reply before the worker gives up and stops
 * @param produceBackoff     first wait between produce tries (doubles each time)
 * @param jobAttempts        runs of a job that hit sandbox infrastructure failures before it is answered internal_error
 * @param circuitOpenFor     how long the sandbox circuit stays open before a probe
 * @param circuitMinimumCalls calls before the circuit judges the failure rate
 * @param metricsPort        port of /metrics, /healthz, /readyz; -1 = none, 0 = any free port
 * @param commitInterval     at-least-once: the shortest time between two offset commits (0 = after
 *                           every poll that completed a job); fewer commits cost the broker less,
 *                           and after a crash up to this much more work is redone; queue mode: the
 *                           longest acknowledgements wait for a poll to carry them before they are
 *                           sent on their own
 */
public record WorkerConfig(
        String bootstrapServers,
        Map<String, String> kafkaProperties,
        String groupId,
        TopicNames topics,
        DeliveryMode deliveryMode,
        int slots,
        int prefetch,
        Duration drainTimeout,
        long maxCodeBytes,
        long maxInputBytes,
        int maxReplyBytes,
        String workerId,
        Duration pollTimeout,
        int produceAttempts,
        Duration produceBackoff,
        int jobAttempts,
        Duration circuitOpenFor,
        int circuitMinimumCalls,
        int metricsPort,
        Duration commitInterval) {

    /** Queue mode's share consumers (lanes) per worker, at most: each is a group member with a thread and connections. */
    public static final int MAX_QUEUE_LANES = 256;

    public WorkerConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must be given, got '" + bootstrapServers + "'");
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("group id must not be blank, got '" + groupId + "'");
        }
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(deliveryMode, "deliveryMode");
        requireRange("slots", slots, 1, 1024);
        requireRange("prefetch", prefetch, 0, 10_000);
        if (deliveryMode == DeliveryMode.QUEUE && slots + prefetch > MAX_QUEUE_LANES) {
            throw new IllegalArgumentException("queue mode opens a share consumer for each slot and prefetched job: "
                    + "slots + prefetch must be at most " + MAX_QUEUE_LANES + ", got " + slots + " + " + prefetch);
        }
        requirePositive("drainTimeout", drainTimeout);
        if (commitInterval == null || commitInterval.isNegative()) {
            throw new IllegalArgumentException("commitInterval must be zero or positive, got " + commitInterval);
        }
        if (maxCodeBytes < 1) {
            throw new IllegalArgumentException("maxCodeBytes must be positive, got " + maxCodeBytes);
        }
        if (maxInputBytes < 1) {
            throw new IllegalArgumentException("maxInputBytes must be positive, got " + maxInputBytes);
        }
        requireRange("maxReplyBytes", maxReplyBytes, 0, Integer.MAX_VALUE);
        if (workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("worker id must not be blank, got '" + workerId + "'");
        }
        requirePositive("pollTimeout", pollTimeout);
        requireRange("produceAttempts", produceAttempts, 1, 1000);
        requirePositive("produceBackoff", produceBackoff);
        requireRange("jobAttempts", jobAttempts, 1, 100);
        requirePositive("circuitOpenFor", circuitOpenFor);
        requireRange("circuitMinimumCalls", circuitMinimumCalls, 1, 10_000);
        requireRange("metricsPort", metricsPort, -1, 65535);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    public Builder toBuilder() {
        Builder b = new Builder(bootstrapServers);
        b.kafkaProperties = kafkaProperties;
        b.groupId = groupId;
        b.topics = topics;
        b.deliveryMode = deliveryMode;
        b.slots = slots;
        b.prefetch = prefetch;
        b.drainTimeout = drainTimeout;
        b.maxCodeBytes = maxCodeBytes;
        b.maxInputBytes = maxInputBytes;
        b.maxReplyBytes = maxReplyBytes;
        b.workerId = workerId;
        b.pollTimeout = pollTimeout;
        b.produceAttempts = produceAttempts;
        b.produceBackoff = produceBackoff;
        b.jobAttempts = jobAttempts;
        b.circuitOpenFor = circuitOpenFor;
        b.circuitMinimumCalls = circuitMinimumCalls;
        b.metricsPort = metricsPort;
        b.commitInterval = commitInterval;
        return b;
    }

    /** Defaults: group sandq-workers, default topics, at-least-once, one slot per core, drain 30 s. */
    public static final class Builder {
        private final String bootstrapServers;
        private Map<String, String> kafkaProperties = Map.of();
        private String groupId = "sandq-workers";
        private TopicNames topics = TopicNames.DEFAULTS;
        private DeliveryMode deliveryMode = DeliveryMode.AT_LEAST_ONCE;
        private int slots = Runtime.getRuntime().availableProcessors();
        /** Null: as many as the slots. */
        private Integer prefetch;
        private Duration drainTimeout = Duration.ofSeconds(30);
        private long maxCodeBytes = JobParser.DEFAULT_MAX_CODE_BYTES;
        private long maxInputBytes = JobParser.DEFAULT_MAX_INPUT_BYTES;
        private int maxReplyBytes = 0;
        private String workerId = defaultWorkerId();
        private Duration pollTimeout = Duration.ofMillis(20);
        private int produceAttempts = 5;
        private Duration produceBackoff = Duration.ofMillis(100);
        private int jobAttempts = 3;
        private Duration circuitOpenFor = Duration.ofSeconds(10);
        private int circuitMinimumCalls = 5;
        private int metricsPort = -1;
        private Duration commitInterval = Duration.ofMillis(200);

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Builder kafkaProperties(Map<String, String> v) { this.kafkaProperties = v; return this; }
        public Builder groupId(String v) { this.groupId = v; return this; }
        public Builder topics(TopicNames v) { this.topics = v; return this; }
        public Builder deliveryMode(DeliveryMode v) { this.deliveryMode = v; return this; }
        public Builder slots(int v) { this.slots = v; return this; }
        public Builder prefetch(int v) { this.prefetch = v; return this; }
        public Builder drainTimeout(Duration v) { this.drainTimeout = v; return this; }
        public Builder maxCodeBytes(long v) { this.maxCodeBytes = v; return this; }
        public Builder maxInputBytes(long v) { this.maxInputBytes = v; return this; }
        public Builder maxReplyBytes(int v) { this.maxReplyBytes = v; return this; }
        public Builder workerId(String v) { this.workerId = v; return this; }
        public Builder pollTimeout(Duration v) { this.pollTimeout = v; return this; }
        public Builder produceAttempts(int v) { this.produceAttempts = v; return this; }
        public Builder produceBackoff(Duration v) { this.produceBackoff = v; return this; }
        public Builder jobAttempts(int v) { this.jobAttempts = v; return this; }
        public Builder circuitOpenFor(Duration v) { this.circuitOpenFor = v; return this; }
        public Builder circuitMinimumCalls(int v) { this.circuitMinimumCalls = v; return this; }
        public Builder metricsPort(int v) { this.metricsPort = v; return this; }
        public Builder commitInterval(Duration v) { this.commitInterval = v; return this; }

        public WorkerConfig build() {
            return new WorkerConfig(bootstrapServers, kafkaProperties, groupId, topics, deliveryMode, slots,
                    prefetch == null ? slots : prefetch, drainTimeout, maxCodeBytes, maxInputBytes, maxReplyBytes, workerId,
                    pollTimeout, produceAttempts, produceBackoff, jobAttempts, circuitOpenFor, circuitMinimumCalls,
                    metricsPort, commitInterval);
        }
    }

    static String defaultWorkerId() {
        return ManagementFactory.getRuntimeMXBean().getName(); // pid@host
    }
}
