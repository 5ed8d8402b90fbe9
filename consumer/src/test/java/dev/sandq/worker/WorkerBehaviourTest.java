package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Status;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import dev.sandq.wire.JobReply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker's group behaviour against the real in-process broker (fast stand-in sandbox). */
@Slow
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WorkerBehaviourTest {

    private static List<ProducerRecord<byte[], byte[]>> jobs(KafkaTestKit kit, int n, String code) {
        List<ProducerRecord<byte[], byte[]>> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(kit.job("{\"id\":\"j" + i + "\",\"language\":\"python3\",\"code\":\"" + code + "\"}"));
        }
        return list;
    }

    private static Map<String, Integer> countById(List<ConsumerRecord<byte[], byte[]>> replies) {
        Map<String, Integer> counts = new HashMap<>();
        for (var r : replies) {
            counts.merge(KafkaTestKit.reply(r).id(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void jobLongerThanMaxPollIntervalCausesNoRebalance() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            Worker w = kit.startWorker(kit.config().slots(1).prefetch(0)
                    .kafkaProperties(Map.of("max.poll.interval.ms", "1500", "session.timeout.ms", "6000",
                            "heartbeat.interval.ms", "500"))
                    .build(), new FakeSandbox(1));
            Await.until(Duration.ofSeconds(30), () -> w.assignedPartitions() == 1, () -> "the partition assigned");
            int callbacks = w.rebalanceCallbacks();
            kit.sendAll(jobs(kit, 3, "sleep 2000"));
            List<ConsumerRecord<byte[], byte[]>> replies = kit.awaitReplies(3, Duration.ofSeconds(60));
            assertEquals(3, countById(replies).size());
            assertEquals(callbacks, w.rebalanceCallbacks(), "no rebalance while a job outlived max.poll.interval.ms");
            Await.until(Duration.ofSeconds(10), () -> committed(kit, 0) == 3,
                    () -> "offset 3 committed, is " + committed(kit, 0));
        }
    }

    /**
     * A worker whose slots are full pauses its partitions, and its poll then fetches nothing. A slot
     * that finishes wakes the poll thread, so that the partitions resume at once rather than after
     * the poll's timeout (20 ms by default, 5 s here): one job at a time through one slot without
     * prefetch, each sent when the last one's reply came, all answered in well under one timeout
     * each. Before the wake, each of these jobs waited out a poll (at 20 ms: half the throughput of
     * `sandq bench --concurrency 2` with `--prefetch 0`).
     */
    @Test
    void aSlotThatFinishesResumesPausedPartitionsWithoutWaitingOutThePoll() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            Worker w = kit.startWorker(kit.config().slots(1).prefetch(0).pollTimeout(Duration.ofSeconds(5)).build(),
                    new FakeSandbox(1));
            Await.until(Duration.ofSeconds(30), () -> w.assignedPartitions() == 1, () -> "the partition assigned");
            kit.send(kit.job("{\"id\":\"first\",\"language\":\"python3\",\"code\":\"ok\"}"));
            kit.awaitReplies(1, Duration.ofSeconds(30));
            long start = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                kit.send(kit.job("{\"id\":\"next" + i + "\",\"language\":\"python3\",\"code\":\"ok\"}"));
                kit.awaitReplies(1, Duration.ofSeconds(30));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0,
                    "4 jobs one after the other took " + took + ": each waited for the 5 s poll");
        }
    }

    /**
     * The jobs are sent once the group has settled: a job running while its partition is revoked
     * is answered by both workers in at-least-once mode (a duplicate this test does not judge).
     */
    @Test
    void thousandJobsOnFourPartitionsWithTwoWorkersAreAllAnswered() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(4)) {
            Worker a = kit.startWorker(kit.config().slots(4).build(), new FakeSandbox(4));
            Worker b = kit.startWorker(kit.config().slots(4).build(), new FakeSandbox(4));
            Await.until(Duration.ofSeconds(60), () -> a.assignedPartitions() == 2 && b.assignedPartitions() == 2,
                    () -> "two partitions each, have " + a.assignedPartitions() + " and " + b.assignedPartitions());
            List<ProducerRecord<byte[], byte[]>> records = jobs(kit, 1000, "ok");
            kit.sendAll(records);
            Map<String, Integer> counts = countById(kit.awaitReplies(1000, Duration.ofSeconds(120)));
            assertEquals(1000, counts.size());
            assertTrue(counts.values().stream().allMatch(c -> c == 1), "duplicates: " + counts);
            Await.until(Duration.ofSeconds(30), () -> committedSum(kit, 4) == 1000,
                    () -> "all 1000 offsets committed, are " + committedSum(kit, 4));
        }
    }

    /** At-least-once commits wait for the commit interval; stopping commits what is answered. */
    @Test
    void offsetsAreCommittedAtMostOncePerCommitIntervalAndAllAtStop() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            Worker w = kit.startWorker(kit.config().slots(2).commitInterval(Duration.ofHours(1)).build(),
                    new FakeSandbox(2));
            kit.sendAll(jobs(kit, 10, "print 1"));
            kit.awaitReplies(10, Duration.ofSeconds(30));
            // The first commit came with the first records taken (their mark), before any answer;
            // then none within the interval. 500 ms is 25 of the worker's poll loops (20 ms each),
            // each of which would commit what is answered if the interval did not hold it back.
            Await.nothingFor(Duration.ofMillis(500), Await.POLL, () -> committed(kit, 0) >= 10,
                    () -> "committed " + committed(kit, 0) + " within the interval");
            w.requestStop();
            assertTrue(w.awaitStopped(Duration.ofSeconds(30)));
            assertEquals(10, committed(kit, 0), "the stop commits every answered job");
        }
    }

    @Test
    void gracefulStopDrainsRunningJobsAndASecondWorkerTakesTheRest() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            FakeSandbox first = new FakeSandbox(1);
            Worker a = kit.startWorker(kit.config().slots(1).prefetch(3).build(), first);
            kit.sendAll(jobs(kit, 4, "sleep 700"));
            Await.until(Duration.ofSeconds(30), () -> first.busySlots() == 1, () -> "the first job running");
            a.requestStop();
            assertTrue(a.awaitStopped(Duration.ofSeconds(30)));
            List<ConsumerRecord<byte[], byte[]>> drained = kit.awaitReplies(1, Duration.ofSeconds(5));
            assertEquals("j0", KafkaTestKit.reply(drained.get(0)).id());
            assertEquals(1, committed(kit, 0), "the drained job is committed, the queued ones are not");

            kit.startWorker(kit.config().slots(2).build(), new FakeSandbox(2));
            List<ConsumerRecord<byte[], byte[]>> restReplies = kit.awaitReplies(3, Duration.ofSeconds(60));
            Map<String, Integer> rest = countById(restReplies);
            assertEquals(Set.of("j1", "j2", "j3"), rest.keySet());
            for (var r : restReplies) {
                assertEquals(1, KafkaTestKit.reply(r).attempt(), "fetched by the first worker but never started");
            }
            // The first worker has stopped; a second answer from the other would be a job of its one
            // fetch run twice, beside the last one (2 slots, 3 jobs of 700 ms): 500 ms covers that.
            kit.assertNoMoreReplies(Duration.ofMillis(500), "no job answered twice");
        }
    }

    @Test
    void jobStillRunningAtTheDrainDeadlineIsKilledUncommittedAndRedeliveredAsAttemptTwo() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            FakeSandbox first = new FakeSandbox(1);
            Worker a = kit.startWorker(kit.config().slots(1).drainTimeout(Duration.ofMillis(300)).build(), first);
            kit.send(kit.job("{\"id\":\"long\",\"language\":\"python3\",\"code\":\"sleep 60000\"}"));
            Await.until(Duration.ofSeconds(30), () -> first.busySlots() == 1, () -> "the job running");
            a.requestStop();
            assertTrue(a.awaitStopped(Duration.ofSeconds(30)));
            assertTrue(committed(kit, 0) <= 0, "not committed");
            assertEquals(0, first.busySlots(), "the running job was killed");

            FakeSandbox second = new FakeSandbox(1);
            second.noSleeping.set(true);
            kit.startWorker(kit.config().build(), second);
            JobReply r = KafkaTestKit.reply(kit.awaitReplies(1, Duration.ofSeconds(60)).get(0));
            assertEquals("long", r.id());
            assertEquals("slept\n", r.stdout());
            assertEquals(2, r.attempt(), "the first worker's commit marked the record as taken");
        }
    }

    @Test
    void sandboxInfrastructureFailuresOpenTheCircuitPauseAndRecover() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            FakeSandbox sandbox = new FakeSandbox(1);
            sandbox.broken.set(true);
            Worker w = kit.startWorker(kit.config().slots(1).circuitMinimumCalls(3)
                    .circuitOpenFor(Duration.ofMillis(500)).jobAttempts(100).build(), sandbox);
            Await.until(Duration.ofSeconds(30), w::ready, () -> "the worker ready");
            kit.sendAll(jobs(kit, 5, "fine"));
            Await.until(Duration.ofSeconds(30), () -> !w.ready(), () -> "not ready while the sandbox keeps failing");
            // The circuit has just opened, for 500 ms: a job answered internal_error while it is open
            // would arrive within these 300 ms.
            kit.assertNoMoreReplies(Duration.ofMillis(300), "no internal_error answers while open");
            sandbox.broken.set(false);
            Map<String, Integer> counts = new HashMap<>();
            for (var r : kit.awaitReplies(5, Duration.ofSeconds(60))) {
                JobReply reply = KafkaTestKit.reply(r);
                assertEquals(Status.OK, reply.status());
                counts.merge(reply.id(), 1, Integer::sum);
            }
            assertEquals(5, counts.size());
            Await.until(Duration.ofSeconds(30), w::ready, () -> "the worker ready again");
        }
    }

    @Test
    void exactlyOnceModeCommitsOneReplyPerJobWithItsOffsetAndRecordsItsDuration() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(2)) {
            var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            kit.startWorker(kit.config().slots(2).deliveryMode(DeliveryMode.EXACTLY_ONCE).build(), new FakeSandbox(2),
                    registry);
            kit.sendAll(jobs(kit, 50, "sleep 5"));
            Map<String, Integer> counts = countById(kit.awaitReplies(50, Duration.ofSeconds(60)));
            assertEquals(50, counts.size());
            // 300 ms is 60 times the 5 ms a job takes: a job run twice would have answered again by then.
            kit.assertNoMoreReplies(Duration.ofMillis(300), "one committed reply per job");
            Await.until(Duration.ofSeconds(30), () -> committedSum(kit, 2) == 50,
                    () -> "offsets committed with the transactions, are " + committedSum(kit, 2));
            var duration = registry.get("sandq.job.duration").timer();
            assertEquals(50, duration.count());
            assertTrue(duration.max(TimeUnit.MILLISECONDS) >= 5,
                    "each job slept 5 ms before its transaction: " + duration.max(TimeUnit.MILLISECONDS));
        }
    }

    /** The committed offsets of partitions 0 to {@code partitions - 1}, added up (none committed counts 0). */
    private static long committedSum(KafkaTestKit kit, int partitions) {
        long sum = 0;
        for (int p = 0; p < partitions; p++) {
            sum += Math.max(0, committed(kit, p));
        }
        return sum;
    }

    private static long committed(KafkaTestKit kit, int p) {
        try {
            return kit.committed(p);
        } catch (Exception e) {
            return -1;
        }
    }

    static Set<String> keys(List<ConsumerRecord<byte[], byte[]>> rs) {
        Set<String> s = new HashSet<>();
        rs.forEach(r -> s.add(new String(r.key(), StandardCharsets.UTF_8)));
        return s;
    }
}
