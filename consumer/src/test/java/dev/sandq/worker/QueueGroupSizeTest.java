package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.broker.EmbeddedKafkaBroker;
import dev.sandq.testing.Slow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each lane of a queue worker is a member of the share group, and the broker caps a share group's
 * members (group.share.max.size, static): a worker whose lanes do not all fit stops, naming the
 * broker's refusal, rather than running with fewer lanes than its slots and prefetch.
 */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class QueueGroupSizeTest {

    @Test
    void aWorkerWhoseLanesDoNotFitInTheShareGroupStopsNamingTheBrokersLimit(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, Map.of("group.share.max.size", "3"));
             KafkaTestKit kit = new KafkaTestKit(1, broker.bootstrapServers())) {
            WorkerConfig config = kit.config().deliveryMode(DeliveryMode.QUEUE).slots(2).prefetch(2).build();
            Worker w = kit.startWorker(config, new FakeSandbox(2));
            assertTrue(w.awaitStopped(Duration.ofSeconds(90)), "the worker stopped");
            Throwable failure = w.failure();
            assertNotNull(failure, "it stopped on a failure");
            Throwable cause = failure;
            while (cause.getCause() != null && !(cause instanceof GroupMaxSizeReachedException)) {
                cause = cause.getCause();
            }
            assertEquals(GroupMaxSizeReachedException.class, cause.getClass(), () -> "the broker's refusal: " + failure);
            assertTrue(failure.getMessage().startsWith("share consumer lane-"), failure::getMessage);
            assertTrue(failure.getMessage().contains("maximum capacity of 3 members"), failure::getMessage);
        }
    }
}
