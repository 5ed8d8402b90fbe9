package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Status;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import dev.sandq.wire.JobReply;
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
 * A worker in its own OS process (the real {@code sandq worker}, the real sandbox) is killed with
 * SIGKILL while jobs run, with every process under it (as systemd or the kubelet kills a unit), then started again with the same worker id: every job is answered, in
 * every delivery mode, and nothing of the dead worker stays on the host: its launchers and their
 * per-job cgroups (in each hierarchy) are gone once the next worker has started.
 */
@Slow
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class WorkerCrashTest {
    private static final int JOBS = 40;

    @TempDir
    Path logs;

    private final Map<String, Integer> maxAttempt = new TreeMap<>();
    private List<ProcessHandle> launchers = List.of();
    private List<Path> cgroups = List.of();

    @Test
    void atLeastOnceEveryJobIsAnsweredAfterSigkillAndRestart() throws Exception {
        Map<String, Integer> counts = crashAndRestart(DeliveryMode.AT_LEAST_ONCE);
        assertEquals(JOBS, counts.size(), counts::toString);
        // Duplicates are allowed here (the job's id tells them apart); a job answered twice was
        // taken long enough before the kill for its taken mark to be committed: its rerun says so.
        counts.forEach((id, n) -> {
            if (n > 1) {
                assertTrue(maxAttempt.get(id) >= 2, id + " answered " + n + " times, attempts " + maxAttempt);
            }
        });
    }

    @Test
    void queueEveryJobIsAnsweredAfterSigkillAndRestart() throws Exception {
        Map<String, Integer> counts = crashAndRestart(DeliveryMode.QUEUE);
        assertEquals(JOBS, counts.size(), counts::toString);
        // At least once: the jobs the first worker held when it died are delivered again when
        // their locks run out, so some may be answered twice; such a rerun is delivery 2 or more.
        long duplicates = counts.values().stream().filter(n -> n > 1).count();
        System.out.println("queue mode after SIGKILL: " + JOBS + " jobs answered, " + duplicates + " of them twice");
        counts.forEach((id, n) -> {
            if (n > 1) {
                assertTrue(maxAttempt.get(id) >= 2, id + " answered " + n + " times, attempts " + maxAttempt);
            }
        });
    }

    @Test
    void exactlyOnceAReadCommittedReaderSeesOneReplyPerJobAfterSigkillAndRestart() throws Exception {
        Map<String, Integer> counts = crashAndRestart(DeliveryMode.EXACTLY_ONCE);
        assertEquals(JOBS, counts.size(), counts::toString);
        assertTrue(counts.values().stream().allMatch(c -> c == 1), "one committed reply per job: " + counts);
    }

    /** @return replies per job id, as a read_committed reader saw them */
    private Map<String, Integer> crashAndRestart(DeliveryMode mode) throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(2)) {
            List<ProducerRecord<byte[], byte[]>> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                String code = "import time\ntime.sleep(0.3)\nprint('c" + i + "')";
                jobs.add(kit.job("{\"id\":\"c" + i + "\",\"language\":\"python3\",\"code\":"
                        + KafkaTestKit.quote(code) + "}"));
            }
            kit.sendAll(jobs);
            Map<String, Integer> counts = new TreeMap<>();
            String workerId = "crash-" + mode.wireName();
            try (SandqProcess first = SandqProcess.start(logs, "first",
                    SandqProcess.workerArgs(kit, workerId, mode, 2))) {
                Await.until(Duration.ofSeconds(90), () -> {
                    assertTrue(first.alive(), first::logs);
                    count(counts, kit.moreReplies(Duration.ofMillis(100)));
                    return counts.values().stream().mapToInt(Integer::intValue).sum() >= 8;
                }, () -> "8 replies from the first worker, have " + counts);
                assertTrue(counts.size() < JOBS, "killed mid-run, not after the last job: " + counts);
                launchers = first.descendants();
                cgroups = JobCgroups.of(launchers);
                assertTrue(!cgroups.isEmpty(), "jobs were running, in cgroups of their own: " + launchers);
                first.killTree();
            }
            try (SandqProcess second = SandqProcess.start(logs, "second",
                    SandqProcess.workerArgs(kit, workerId, mode, 2))) {
                Await.until(Duration.ofSeconds(60), () -> {
                    assertTrue(second.alive(), second::logs);
                    return JobCgroups.existing(cgroups).isEmpty() && JobCgroups.alive(launchers).isEmpty();
                }, () -> "the dead worker's job cgroups and processes removed; left: "
                        + JobCgroups.existing(cgroups) + ", alive: " + JobCgroups.alive(launchers));
                Await.until(Duration.ofSeconds(120), () -> {
                    assertTrue(second.alive(), second::logs);
                    count(counts, kit.moreReplies(Duration.ofMillis(200)));
                    return counts.size() == JOBS;
                }, () -> "every job answered, have " + counts.size() + " of " + JOBS);
                // Late duplicates too: a job the first worker answered may still be running again in the
                // second when the last id first arrives; 2 s is several 0.3 s jobs on its 2 slots.
                count(counts, kit.moreReplies(Duration.ofSeconds(2)));
                assertEquals(0, second.terminate(Duration.ofSeconds(60)), second::logs);
            }
            return counts;
        }
    }

    private void count(Map<String, Integer> counts, List<ConsumerRecord<byte[], byte[]>> replies) {
        for (var r : replies) {
            JobReply reply = KafkaTestKit.reply(r);
            assertEquals(Status.OK, reply.status(), reply::toString);
            assertEquals(reply.id() + "\n", reply.stdout(), reply::toString);
            counts.merge(reply.id(), 1, Integer::sum);
            maxAttempt.merge(reply.id(), reply.attempt(), Math::max);
        }
    }
}
