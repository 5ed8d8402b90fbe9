package dev.sandq.ops.clients;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** docs/clients.md's plain Java example: kafka-clients only. Run by ClientExamplesTest. */
public final class PlainJavaClient {
    private PlainJavaClient() {
    }

    // docs:begin
    /** Sends one job and returns its result JSON (or throws after the timeout). */
    public static String submit(String bootstrap, String jobJson, Duration timeout) throws Exception {
        String correlationId = UUID.randomUUID().toString();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
                     new StringSerializer(), new StringSerializer());
             var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                     new StringDeserializer(), new StringDeserializer())) {
            // Start reading replies at the current end, before sending, so ours cannot be missed.
            List<TopicPartition> partitions = consumer.partitionsFor("sandq.results").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            var job = new ProducerRecord<String, String>("sandq.jobs", jobJson);
            job.headers().add("kafka_correlationId", correlationId.getBytes(StandardCharsets.UTF_8));
            job.headers().add("kafka_replyTopic", "sandq.results".getBytes(StandardCharsets.UTF_8));
            producer.send(job).get();

            Instant end = Instant.now().plus(timeout);
            while (Instant.now().isBefore(end)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (correlationId.equals(r.key())) {
                        return r.value();
                    }
                }
            }
            throw new IllegalStateException("no result for " + correlationId + " within " + timeout);
        }
    }
    // docs:end
}
