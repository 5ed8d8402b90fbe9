package dev.sandq.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
}
