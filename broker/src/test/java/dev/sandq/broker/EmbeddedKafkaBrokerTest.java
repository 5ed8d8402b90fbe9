package dev.sandq.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The broker on its own (the worker's tests use it with a worker: consumer's BrokerRestartTest and the rest). */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EmbeddedKafkaBrokerTest {
    @TempDir
    Path dir;

    @Test
    void keepsItsTopicsAndItsPortAcrossARestart() throws Exception {
        Path data = dir.resolve("kafka");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, 0)) {
            int port = broker.port();
            assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            broker.restart();
            assertEquals(port, broker.port());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                Set<String> topics = admin.listTopics().names().get(60, TimeUnit.SECONDS);
                assertTrue(topics.contains("kept"), topics.toString());
            }
        }
        assertTrue(Files.exists(data.resolve("log").resolve("meta.properties")), "the data is kept after close");
    }

    /** Kafka's default (128 MiB, on the heap from the start) was most of `sandq up`'s live heap. */
    @Test
    void itsLogCleanerHoldsEightMebibytesNotAProductionBrokers128() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("cleaner"), 0);
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            String size = admin.describeConfigs(List.of(node)).all().get(60, TimeUnit.SECONDS).get(node)
                    .get("log.cleaner.dedupe.buffer.size").value();
            assertEquals(String.valueOf(8 << 20), size);
        }
    }

    @Test
    void sharesRecordsThroughAShareGroupWithNoConfiguration() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("share"), 0);
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertEquals(2, admin.describeFeatures().featureMetadata().get(60, TimeUnit.SECONDS).finalizedFeatures()
                    .get("share.version").maxVersionLevel());
            admin.createTopics(List.of(new NewTopic("queue", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "q");
            admin.incrementalAlterConfigs(Map.of(group, List.of(
                    new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms",
                            String.valueOf(EmbeddedKafkaBroker.MIN_RECORD_LOCK_MS)), AlterConfigOp.OpType.SET))))
                    .all().get(60, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("queue", "k", "job")).get(60, TimeUnit.SECONDS);
            }
            try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers(), "group.id", "q",
                    "share.acknowledgement.mode", "explicit"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("queue"));
                List<Short> deliveries = new ArrayList<>();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (deliveries.size() < 2 && System.nanoTime() < until) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<String, String> r : records) {
                        deliveries.add(r.deliveryCount().orElseThrow());
                        consumer.acknowledge(r, deliveries.size() == 1 ? AcknowledgeType.RELEASE : AcknowledgeType.ACCEPT);
                    }
                }
                consumer.commitSync();
                assertEquals(List.of((short) 1, (short) 2), deliveries, "released once, then delivered again");
            }
        }
    }
}
