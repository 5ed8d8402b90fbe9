package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Slow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A slot starts its next job while the broker has yet to acknowledge the last one's reply (a
 * slot that waited started no job for 3 to 5 ms a job under load). Here every acknowledgement
 * takes a second: the reply producer lingers that long before it sends.
 */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SlotGoesOnWhileItsReplyIsAcknowledgedTest {
    private static final Duration LINGER = Duration.ofSeconds(1);

    @Test
    void oneSlotRunsFiveWaitingJobsWithinOneAcknowledgementsTime() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            FakeSandbox sandbox = new FakeSandbox(1);
            kit.startWorker(kit.config().slots(1).prefetch(10)
                    .kafkaProperties(Map.of("linger.ms", String.valueOf(LINGER.toMillis()))).build(), sandbox);
            List<ProducerRecord<byte[], byte[]>> jobs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                jobs.add(kit.job(KafkaTestKit.job("python3", "job " + i)));
            }
            kit.sendAll(jobs);
            assertEquals(5, kit.awaitReplies(5, Duration.ofSeconds(60)).size());
            List<Long> starts = List.copyOf(sandbox.startedAt);
            assertEquals(5, starts.size(), "each job ran once");
            long spreadMs = TimeUnit.NANOSECONDS.toMillis(starts.get(4) - starts.get(0));
            // Waiting for each acknowledgement, the fifth job would start four seconds after the first.
            assertTrue(spreadMs < LINGER.toMillis() * 8 / 10,
                    "the five jobs started within " + spreadMs + " ms, not within one acknowledgement's " + LINGER);
        }
    }
}
