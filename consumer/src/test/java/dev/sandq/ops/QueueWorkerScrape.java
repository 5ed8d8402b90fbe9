package dev.sandq.ops;

import dev.sandq.executor.Job;
import dev.sandq.executor.Result;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.Status;
import dev.sandq.executor.Usage;
import dev.sandq.testing.Await;
import dev.sandq.worker.DeliveryMode;
import dev.sandq.worker.Worker;
import dev.sandq.worker.WorkerConfig;
import dev.sandq.worker.topics.TopicApplier;
import dev.sandq.worker.topics.TopicCatalogue;
import dev.sandq.worker.topics.TopicNames;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The scrape of a queue-mode worker (`--delivery queue`) on the ops rig's broker, after one job:
 * the meters only that mode has (sandq_queue_*). Its own topics and share group, and a sandbox
 * that answers at once: what is scraped is the worker's, not the sandbox's.
 */
final class QueueWorkerScrape {
    private QueueWorkerScrape() {
    }

    static String afterOneJob(OpsRig rig) throws Exception {
        TopicNames topics = TopicNames.withPrefix("metrics-queue-" + UUID.randomUUID().toString().substring(0, 8));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", rig.bootstrap()))) {
            new TopicApplier(admin).apply(TopicCatalogue.load(topics).withPartitions(1));
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkerConfig config = WorkerConfig.builder(rig.bootstrap()).topics(topics).groupId(topics.jobs() + "-queue")
                .deliveryMode(DeliveryMode.QUEUE).slots(1).drainTimeout(Duration.ofSeconds(5)).workerId("ops-queue")
                .build();
        Worker worker = Worker.create(config, new AnsweringSandbox(), Clock.systemUTC(), registry);
        worker.start();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", rig.bootstrap()),
                new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> results = new KafkaConsumer<>(Map.of("bootstrap.servers", rig.bootstrap(),
                     "group.id", "metrics-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            results.subscribe(List.of(topics.results()));
            producer.send(new ProducerRecord<>(topics.jobs(),
                    "{\"language\":\"python3\",\"code\":\"pass\"}".getBytes(StandardCharsets.UTF_8))).get();
            Await.until(Duration.ofSeconds(60), Duration.ZERO, () -> !results.poll(Duration.ofMillis(200)).isEmpty(),
                    () -> "the queue worker's reply");
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(200),
                    () -> registry.scrape().contains("sandq_queue_lag ") && !registry.scrape().contains("sandq_queue_lag NaN"),
                    () -> "the share group's lag read");
            return registry.scrape();
        } finally {
            worker.close();
        }
    }

    /** Every job exits 0 at once. */
    private static final class AnsweringSandbox implements Sandbox {
        @Override
        public Result run(Job job) {
            return new Result(Status.OK, 0, null, "", "", false, false, null, new Usage(1, 1, 1000));
        }

        @Override
        public int slots() {
            return 1;
        }

        @Override
        public int busySlots() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
