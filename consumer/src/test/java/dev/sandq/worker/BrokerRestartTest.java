package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.broker.EmbeddedKafkaBroker;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A broker restarted mid-run (its own, not the shared one): every job is still answered. */
@Slow
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BrokerRestartTest {
    @TempDir
    Path dir;

    @Test
    void everyJobIsAnsweredAcrossABrokerRestart() throws Exception {
        answersEveryJobAcrossABrokerRestart(DeliveryMode.AT_LEAST_ONCE);
    }

    /** Queue mode: the share group's state (which records are acknowledged) survives the restart too. */
    @Test
    void queueModeAnswersEveryJobAcrossABrokerRestart() throws Exception {
        answersEveryJobAcrossABrokerRestart(DeliveryMode.QUEUE);
    }

    private void answersEveryJobAcrossABrokerRestart(DeliveryMode mode) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Files.createDirectories(dir.resolve("k")), 0);
             KafkaTestKit kit = new KafkaTestKit(2, broker.bootstrapServers())) {
            FakeSandbox sandbox = new FakeSandbox(2);
            kit.startWorker(kit.config().slots(2).deliveryMode(mode).build(), sandbox);
            List<ProducerRecord<byte[], byte[]>> jobs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                jobs.add(kit.job("{\"id\":\"r" + i + "\",\"language\":\"python3\",\"code\":\"sleep 20\"}"));
            }
            kit.sendAll(jobs);
            Await.until(Duration.ofSeconds(30), () -> sandbox.runs.get() >= 20,
                    () -> "20 jobs run, are " + sandbox.runs.get());
            broker.restart();
            Set<String> ids = new HashSet<>();
            for (var r : kit.awaitReplies(100, Duration.ofSeconds(120))) {
                ids.add(KafkaTestKit.reply(r).id());
            }
            Await.until(Duration.ofSeconds(60), () -> {
                kit.moreReplies(Duration.ofMillis(200)).forEach(r -> ids.add(KafkaTestKit.reply(r).id()));
                return ids.size() == 100;
            }, () -> "every id answered, have " + ids.size());
            assertEquals(100, ids.size());
        }
    }
}
