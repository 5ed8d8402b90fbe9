package dev.sandq.worker;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The end-to-end suite against a real Kafka broker in a container (Testcontainers). Skipped,
 * never failed, where no Docker engine is reachable.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaEndToEndTest extends EndToEndSuite {
    static final String IMAGE = "apache/kafka-native:3.8.0";

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(IMAGE);

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
