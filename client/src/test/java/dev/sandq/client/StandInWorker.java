package dev.sandq.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Answers jobs as the wire contract says a worker does (this module depends on no worker): the
 * reply goes to kafka_replyTopic (and kafka_replyPartition when given), keyed by the correlation
 * id. Its stdout is the job's code; code "hang" is never answered; while {@link #hold} is set,
 * jobs are only counted, and answered once it is cleared.
 */
final class StandInWorker implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final AtomicInteger received = new AtomicInteger();
    final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> jobs = new ConcurrentLinkedQueue<>();
    volatile boolean hold;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> held = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    StandInWorker(String bootstrap, String jobsTopic) {
        consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", "stand-in-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(jobsTopic));
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", "0"),
                new ByteArraySerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "stand-in-worker");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                received.incrementAndGet();
                jobs.add(r);
                held.add(r);
            }
            while (!hold && !held.isEmpty()) {
                answer(held.poll());
            }
        }
    }

    private void answer(ConsumerRecord<byte[], byte[]> job) {
        try {
            JsonNode doc = MAPPER.readTree(job.value());
            if ("hang".equals(doc.path("code").asText())) {
                return;
            }
            byte[] correlationId = job.headers().lastHeader("kafka_correlationId").value();
            String topic = new String(job.headers().lastHeader("kafka_replyTopic").value(), StandardCharsets.UTF_8);
            Header partition = job.headers().lastHeader("kafka_replyPartition");
            ObjectNode result = MAPPER.createObjectNode();
            result.put("id", doc.path("id").isMissingNode() ? null : doc.path("id").asText());
            result.put("correlation_id", new String(correlationId, StandardCharsets.UTF_8));
            result.put("status", "ok").put("exit_code", 0).putNull("signal");
            result.put("stdout", doc.path("code").asText()).put("stderr", "");
            result.put("stdout_truncated", false).put("stderr_truncated", false);
            result.putNull("result").putNull("error");
            result.putObject("usage").put("wall_time_ms", 1).put("cpu_time_ms", 1).put("max_rss_kb", 1);
            result.put("worker", "stand-in").put("attempt", 1);
            result.put("started_at", "2026-01-01T00:00:00Z").put("finished_at", "2026-01-01T00:00:01Z");
            Integer p = partition == null ? null : ByteBuffer.wrap(partition.value()).getInt();
            producer.send(new ProducerRecord<>(topic, p, correlationId, MAPPER.writeValueAsBytes(result)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        consumer.close();
        producer.close();
    }
}
