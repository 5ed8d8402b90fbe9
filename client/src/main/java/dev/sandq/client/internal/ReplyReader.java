package dev.sandq.client.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the reply topic's partitions (assigned, no consumer group, nothing committed), from their
 * end at the time of {@link #start}, and completes the future waiting for each reply's key (the
 * correlation id). A reply nobody waits for (another client's, a duplicate, or one after its caller
 * timed out) is skipped. Futures complete on this reader's thread.
 */
public final class ReplyReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable died;

    private ReplyReader(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
        this.thread = new Thread(this::run, "sandq-client-replies");
        this.thread.setDaemon(true);
    }

    /**
     * Assigns {@code partitions} of {@code topic} (all of them when empty), positions them at their
     * end and starts reading; a reply to a job sent after this returns is not missed.
     */
    public static ReplyReader start(Map<String, Object> props, String topic, List<Integer> partitions,
                                    int maxRecordBytes, Duration timeout) {
        Map<String, Object> c = new HashMap<>(props);
        c.put("enable.auto.commit", "false");
        c.putIfAbsent("isolation.level", "read_committed"); // exactly-once workers' replies are transactional
        c.putIfAbsent("allow.auto.create.topics", "false");
        c.putIfAbsent("max.partition.fetch.bytes", String.valueOf(maxRecordBytes));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            List<TopicPartition> assigned = partitions.isEmpty()
                    ? consumer.partitionsFor(topic, timeout).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList()
                    : partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(assigned);
            consumer.seekToEnd(assigned);
            assigned.forEach(tp -> consumer.position(tp, timeout)); // fix the positions before any job is sent
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        ReplyReader reader = new ReplyReader(consumer);
        reader.thread.start();
        return reader;
    }

    /** Registers a caller for the reply keyed {@code correlationId}; call before sending the job. */
    public CompletableFuture<byte[]> expect(String correlationId) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        if (!running || died != null) {
            reply.completeExceptionally(new IllegalStateException("the client's reply reader has stopped", died));
            return reply;
        }
        pending.put(correlationId, reply);
        reply.whenComplete((v, e) -> pending.remove(correlationId, reply));
        return reply;
    }

    /** Callers waiting for a reply now. */
    public int waiting() {
        return pending.size();
    }

    /** False once the reader has stopped on an error (every waiting caller then failed with it). */
    public boolean healthy() {
        return died == null && thread.isAlive();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() == null) {
                        continue;
                    }
                    CompletableFuture<byte[]> waiter = pending.remove(new String(r.key(), StandardCharsets.UTF_8));
                    if (waiter != null) {
                        waiter.complete(r.value());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void fail(RuntimeException e) {
        died = e;
        IllegalStateException stopped = new IllegalStateException("the client's reply reader stopped: " + e, e);
        pending.values().forEach(f -> f.completeExceptionally(stopped));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IllegalStateException closed = new IllegalStateException("the client is closed");
        pending.values().forEach(f -> f.completeExceptionally(closed));
    }
}
