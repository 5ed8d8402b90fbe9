package dev.sandq.gateway;

import dev.sandq.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Request-reply over Kafka for many concurrent callers: one producer for jobs, one reader of the
 * whole reply topic (assigned, no group; positioned at the end before the first job is sent),
 * and a map from correlation id to the caller's future. A reply nobody waits for (another
 * gateway's, or one after its caller timed out) is skipped.
 */
public final class KafkaJobClient implements AutoCloseable {
    private final String jobsTopic;
    private final String resultsTopic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> replies;
    private final Map<String, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    private KafkaJobClient(Map<String, Object> props, String jobsTopic, String resultsTopic) {
        this.jobsTopic = jobsTopic;
        this.resultsTopic = resultsTopic;
        Map<String, Object> p = new HashMap<>(props);
        p.putIfAbsent("acks", "all");
        p.putIfAbsent("linger.ms", "0");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> c = new HashMap<>(props);
        c.put("enable.auto.commit", "false");
        c.remove("group.id");
        replies = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        reader = new Thread(this::readReplies, "sandq-gateway-replies");
        reader.setDaemon(true);
    }

    /** Connects, positions the reply reader at the end of every partition, and starts reading. */
    public static KafkaJobClient start(Map<String, Object> props, String jobsTopic, String resultsTopic) {
        KafkaJobClient client = new KafkaJobClient(props, jobsTopic, resultsTopic);
        try {
            List<TopicPartition> parts = new ArrayList<>();
            var infos = client.replies.partitionsFor(resultsTopic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("the reply topic '" + resultsTopic + "' does not exist");
            }
            infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            client.replies.assign(parts);
            client.replies.seekToEnd(parts);
            parts.forEach(client.replies::position); // fix the positions before any job is sent
        } catch (RuntimeException e) {
            client.producer.close(Duration.ZERO);
            client.replies.close(Duration.ZERO);
            throw e;
        }
        client.reader.start();
        return client;
    }

    /**
     * Sends one job document and returns its reply's bytes; the future fails with a
     * TimeoutException after {@code timeout}, or with the producer's exception.
     */
    public CompletableFuture<byte[]> submit(byte[] job, Duration timeout) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        pending.put(id, reply);
        reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> pending.remove(id));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(jobsTopic, job);
        record.headers().add(WireHeaders.CORRELATION_ID, id.getBytes(StandardCharsets.UTF_8));
        record.headers().add(WireHeaders.REPLY_TOPIC, resultsTopic.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record, (meta, e) -> {
                if (e != null) {
                    reply.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            reply.completeExceptionally(e);
        }
        return reply;
    }

    /** False once the reply reader has died (its exception went to stderr). */
    public boolean healthy() {
        return reader.isAlive();
    }

    /** Callers waiting for a reply now. */
    public int waiting() {
        return pending.size();
    }

    private void readReplies() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : replies.poll(Duration.ofSeconds(1))) {
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
                throw e;
            }
        } finally {
            replies.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        replies.wakeup();
        try {
            reader.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the gateway is closing")));
    }
}
