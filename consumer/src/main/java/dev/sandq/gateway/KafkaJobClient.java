package dev.sandq.gateway;

import dev.sandq.client.SandqClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway's request-reply over Kafka: a {@link SandqClient} (one producer, one reader of the
 * whole reply topic, a map from correlation id to the caller's future) with the gateway's settings.
 *
 * <p>At start it checks that both topics exist (it never creates one) and reads their record size
 * limits; a job too large for one record of the jobs topic fails at once with
 * {@link dev.sandq.client.JobTooLargeException}, naming both sizes, without being sent. A send that
 * waits for metadata (a topic deleted since, a broker away) gives up after {@link #MAX_BLOCK} unless
 * {@code max.block.ms} is given, so that the caller hears of it well within Dify's own timeout.
 */
public final class KafkaJobClient implements AutoCloseable {
    /** The record size the topic catalogue gives the jobs and results topics. */
    public static final int CATALOGUE_RECORD_BYTES = 16 << 20;
    /** How long a send may wait for the jobs topic's metadata or for buffer space. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(10);

    private final SandqClient client;
    private final String bootstrapServers;

    private KafkaJobClient(SandqClient client, String bootstrapServers) {
        this.client = client;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Checks that both topics exist and reads their record limits, connects, positions the reply
     * reader at the end of every partition, and starts reading.
     *
     * @throws MissingTopicsException a topic does not exist (the message says which, and what to run)
     */
    public static KafkaJobClient start(Map<String, Object> props, String jobsTopic, String resultsTopic)
            throws MissingTopicsException {
        Map<String, Object> p = new HashMap<>(props);
        p.putIfAbsent("max.block.ms", String.valueOf(MAX_BLOCK.toMillis()));
        try {
            return new KafkaJobClient(SandqClient.builder(p).jobsTopic(jobsTopic).resultsTopic(resultsTopic).build(),
                    String.valueOf(props.get("bootstrap.servers")));
        } catch (dev.sandq.client.MissingTopicsException e) {
            throw new MissingTopicsException(e.getMessage());
        }
    }

    /**
     * Sends one job document and returns its reply's bytes. The future fails with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}, with
     * {@link dev.sandq.client.JobTooLargeException} when the job does not fit in one record of the
     * jobs topic, or with the producer's exception.
     */
    public CompletableFuture<byte[]> submit(byte[] job, Duration timeout) {
        return client.submitJson(job, timeout);
    }

    /** The largest job document that fits in one record of the jobs topic. */
    public int maxJobBytes() {
        return client.maxJobBytes();
    }

    public String jobsTopic() {
        return client.jobsTopic();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** False once the reply reader has died. */
    public boolean healthy() {
        return client.healthy();
    }

    /** Callers waiting for a reply now. */
    public int waiting() {
        return client.waiting();
    }

    @Override
    public void close() {
        client.close();
    }

    /** The jobs or the results topic does not exist: the gateway does not start (its message says which and what to run). */
    public static final class MissingTopicsException extends Exception {
        MissingTopicsException(String message) {
            super(message);
        }
    }
}
