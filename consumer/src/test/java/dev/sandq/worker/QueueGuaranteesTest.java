package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Status;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import dev.sandq.wire.JobReply;
import dev.sandq.worker.topics.ShareGroupApplier;
import dev.sandq.worker.topics.ShareGroupSpec;
import dev.sandq.worker.topics.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queue mode's guarantees with real workers (`sandq worker --delivery queue`, each its own OS
 * process with the real sandbox) sharing one single-partition topic: a job far longer than its
 * acquisition lock is answered once, never delivered again while it runs; a worker stopped with
 * SIGTERM finishes the job it runs and releases the ones it holds, which the other worker answers.
 * (SIGKILL: WorkerCrashTest; a broker restart: BrokerRestartTest.)
 */
@Slow
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class QueueGuaranteesTest {
    @TempDir
    Path logs;

    private static void shareGroup(KafkaTestKit kit, Duration lock) throws Exception {
        String applied = new ShareGroupApplier(kit.admin()).apply(TopicCatalogue.load(kit.topics).shareGroup()
                .named(kit.group).with(ShareGroupSpec.LOCK_DURATION, String.valueOf(lock.toMillis())));
        assertTrue(applied.startsWith("configured share group"), applied);
    }

    private static List<String> worker(KafkaTestKit kit, String id, int slots) {
        return SandqProcess.workerArgs(kit, id, DeliveryMode.QUEUE, slots);
    }

    private static ProducerRecord<byte[], byte[]> sleeping(KafkaTestKit kit, String id, double seconds) {
        String code = "import time\ntime.sleep(" + seconds + ")\nprint('" + id + "')";
        return kit.job("{\"id\":\"" + id + "\",\"language\":\"python3\",\"code\":" + KafkaTestKit.quote(code)
                + ",\"limits\":{\"wall_time_ms\":60000,\"cpu_time_ms\":10000}}");
    }

    private static void count(Map<String, Integer> counts, List<ConsumerRecord<byte[], byte[]>> replies) {
        for (var r : replies) {
            JobReply reply = KafkaTestKit.reply(r);
            assertEquals(Status.OK, reply.status(), reply::toString);
            assertEquals(reply.id() + "\n", reply.stdout(), reply::toString);
            counts.merge(reply.id(), 1, Integer::sum);
        }
    }

    /** The 90 s job under a 30 s lock, shortened: a 20 s job under a 6 s lock, renewed three times. */
    @Test
    void aJobThreeTimesLongerThanItsLockIsAnsweredOnceWhileAnotherWorkerWaits() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            shareGroup(kit, Duration.ofSeconds(6));
            try (SandqProcess a = SandqProcess.start(logs, "a", worker(kit, "long-a", 1));
                 SandqProcess b = SandqProcess.start(logs, "b", worker(kit, "long-b", 1))) {
                kit.send(sleeping(kit, "long", 20));
                List<ConsumerRecord<byte[], byte[]>> replies = kit.awaitReplies(1, Duration.ofSeconds(120));
                JobReply reply = KafkaTestKit.reply(replies.get(0));
                assertEquals(Status.OK, reply.status(), reply::toString);
                assertEquals(1, reply.attempt(), "delivered once: its lock was renewed while it ran: " + reply);
                assertTrue(reply.usage().wallTimeMs() >= 20_000, reply::toString);
                // 12 s: two locks after the answer, by when a record not accepted is delivered again.
                kit.assertNoMoreReplies(Duration.ofSeconds(12), "the long job was answered once");
                assertTrue(a.alive() && b.alive(), a.logs() + b.logs());
            }
        }
    }

    @Test
    void aStoppedWorkerFinishesItsRunningJobAndReleasesTheOthersToTheOtherWorker() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            shareGroup(kit, Duration.ofSeconds(30));
            List<ProducerRecord<byte[], byte[]>> jobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                jobs.add(sleeping(kit, "s" + i, 3));
            }
            Map<String, Integer> counts = new TreeMap<>();
            try (SandqProcess first = SandqProcess.start(logs, "first", worker(kit, "stop-first", 2))) {
                kit.sendAll(jobs);
                // The first worker holds 4 (2 slots, 2 prefetched): it runs two and holds two more.
                Await.until(Duration.ofSeconds(90), () -> {
                    assertTrue(first.alive(), first::logs);
                    count(counts, kit.moreReplies(Duration.ofMillis(100)));
                    return !counts.isEmpty();
                }, () -> "the first worker answering");
                try (SandqProcess second = SandqProcess.start(logs, "second", worker(kit, "stop-second", 2))) {
                    assertEquals(0, first.terminate(Duration.ofSeconds(60)), first::logs);
                    // What it held but did not run was released, not left to its 30 s lock: the second
                    // worker (its sandbox checked and started in a few seconds) answers it well before.
                    Await.until(Duration.ofSeconds(25), () -> {
                        assertTrue(second.alive(), second::logs);
                        count(counts, kit.moreReplies(Duration.ofMillis(200)));
                        return counts.size() == jobs.size();
                    }, () -> "every job answered within the lock, have " + counts);
                    count(counts, kit.moreReplies(Duration.ofSeconds(2)));
                    assertTrue(counts.values().stream().allMatch(n -> n == 1), "each job answered once: " + counts);
                    assertTrue(first.stderr().contains("draining"), first::logs);
                }
            }
        }
    }
}
