package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Status;
import dev.sandq.shareassignor.AllPartitionsShareAssignor;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import dev.sandq.wire.JobReply;
import dev.sandq.wire.WireHeaders;
import dev.sandq.worker.topics.ShareGroupApplier;
import dev.sandq.worker.topics.ShareGroupSpec;
import dev.sandq.worker.topics.TopicCatalogue;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Queue mode (a share group) against the real in-process broker, with the fast stand-in sandbox:
 * each record acknowledged on its own, several workers on one partition, locks renewed while a job
 * runs, released records taken by another worker, poison jobs answered and dead-lettered.
 */
@Slow
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class QueueModeTest {

    /** The kit's group as a share group, its configs set as `sandq topics apply` sets them, lock and limit as given. */
    private static WorkerConfig.Builder queue(KafkaTestKit kit, Duration lock, int deliveryLimit) throws Exception {
        ShareGroupSpec spec = TopicCatalogue.load(kit.topics).shareGroup().named(kit.group)
                .with(ShareGroupSpec.LOCK_DURATION, String.valueOf(lock.toMillis()))
                .with(ShareGroupSpec.DELIVERY_COUNT_LIMIT, String.valueOf(deliveryLimit));
        String applied = new ShareGroupApplier(kit.admin()).apply(spec);
        assertTrue(applied.startsWith("configured share group"), applied);
        return kit.config().deliveryMode(DeliveryMode.QUEUE);
    }

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

    /** Whether a member of the kit's share group has a partition (false while the group is not there yet). */
    private static boolean hasAPartition(KafkaTestKit kit) throws Exception {
        try {
            return kit.admin().describeShareGroups(List.of(kit.group)).describedGroups().get(kit.group).get().members()
                    .stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    private static double meter(PrometheusMeterRegistry registry, String line) {
        return registry.scrape().lines().filter(l -> l.startsWith(line + " ")).mapToDouble(
                l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    @Test
    void everyJobIsAnsweredOnceAndItsRecordAccepted() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(2)) {
            WorkerConfig.Builder config = queue(kit, Duration.ofSeconds(2), 5);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            WorkerConfig built = config.build();
            Worker w = kit.startWorker(built, new FakeSandbox(2), registry);
            assertEquals(built.slots() + built.prefetch(), meter(registry, "sandq_queue_lanes"),
                    "a lane per slot and per prefetched job");
            kit.sendAll(jobs(kit, 30, "ok"));
            List<ConsumerRecord<byte[], byte[]>> replies = kit.awaitReplies(30, Duration.ofSeconds(60));
            Map<String, Integer> counts = countById(replies);
            assertEquals(30, counts.size(), counts::toString);
            for (var r : replies) {
                JobReply reply = KafkaTestKit.reply(r);
                assertEquals(Status.OK, reply.status(), reply::toString);
                assertEquals(1, reply.attempt(), reply::toString);
            }
            Await.until(Duration.ofSeconds(10),
                    () -> meter(registry, "sandq_queue_records_total{event=\"accepted\"}") == 30,
                    () -> "30 records accepted:\n" + registry.scrape());
            assertEquals(30, meter(registry, "sandq_queue_records_total{event=\"acquired\"}"));
            w.requestStop();
            assertTrue(w.awaitStopped(Duration.ofSeconds(30)));
            // Accepted records are never delivered again: a new worker of the group gets nothing
            // within 3 locks (2 s each), after which a record not acknowledged would be delivered again.
            kit.startWorker(config.workerId("again").build(), new FakeSandbox(1));
            kit.assertNoMoreReplies(Duration.ofSeconds(6), "every record was accepted");
        }
    }

    @Test
    void twoWorkersShareOnePartitionBothBusy() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            WorkerConfig.Builder config = queue(kit, Duration.ofSeconds(5), 5);
            FakeSandbox a = new FakeSandbox(1);
            FakeSandbox b = new FakeSandbox(1);
            kit.startWorker(config.slots(1).prefetch(0).build(), a);
            kit.startWorker(config.workerId("second").slots(1).prefetch(0).build(), b);
            kit.sendAll(jobs(kit, 8, "sleep 1500"));
            Await.until(Duration.ofSeconds(60), () -> a.busySlots() == 1 && b.busySlots() == 1,
                    () -> "both workers running a job of the one partition at once, busy: " + a.busySlots() + " and "
                            + b.busySlots());
            Map<String, Integer> counts = countById(kit.awaitReplies(8, Duration.ofSeconds(90)));
            assertEquals(8, counts.size(), counts::toString);
            assertTrue(a.runs.get() >= 2 && b.runs.get() >= 2, "both ran jobs: " + a.runs + " and " + b.runs);
        }
    }

    /**
     * A share consumer whose record is being renewed fetches no other record (Kafka 4.4's client):
     * with one consumer for all its jobs, a worker took no job while a long one ran, though a
     * slot was free. Each lane holds one record, so the short jobs go to the free lanes.
     */
    @Test
    void shortJobsAreAnsweredWhileALongOneRunsOnTheSameWorker() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            // A 2 s lock: the long job's record is renewed several times while the short ones come.
            WorkerConfig.Builder config = queue(kit, Duration.ofSeconds(2), 5);
            FakeSandbox sandbox = new FakeSandbox(2);
            kit.startWorker(config.slots(2).build(), sandbox);
            kit.send(kit.job("{\"id\":\"long\",\"language\":\"python3\",\"code\":\"sleep 8000\"}"));
            Await.until(Duration.ofSeconds(60), () -> sandbox.busySlots() == 1, () -> "the long job running");
            Thread.sleep(1500); // past the long record's first renewal
            assertAnsweredWhileTheLongJobRuns(kit, sandbox, jobs(kit, 3, "ok"));
            JobReply longReply = KafkaTestKit.reply(kit.awaitReplies(1, Duration.ofSeconds(30)).get(0));
            assertEquals("long", longReply.id());
            assertEquals(1, longReply.attempt(), "never delivered again while it ran: " + longReply);
        }
    }

    /**
     * More partitions than lanes: Kafka's own assignor gives each partition to one lane, and jobs
     * on the partition of the lane running a long job waited for it. The broker's assignor
     * (sandq-share-assignor) gives every lane every partition.
     */
    @Test
    void jobsOnTheLongJobsPartitionAreTakenByAnIdleLane() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(4)) {
            WorkerConfig.Builder config = queue(kit, Duration.ofSeconds(2), 5);
            FakeSandbox sandbox = new FakeSandbox(2);
            kit.startWorker(config.slots(2).prefetch(0).build(), sandbox); // 2 lanes, 4 partitions
            kit.send(onPartitionZero(kit.job("{\"id\":\"long\",\"language\":\"python3\",\"code\":\"sleep 8000\"}")));
            Await.until(Duration.ofSeconds(60), () -> sandbox.busySlots() == 1, () -> "the long job running");
            assertAnsweredWhileTheLongJobRuns(kit, sandbox,
                    jobs(kit, 3, "ok").stream().map(QueueModeTest::onPartitionZero).toList());
            assertEquals("long", KafkaTestKit.reply(kit.awaitReplies(1, Duration.ofSeconds(30)).get(0)).id());
        }
    }

    @Test
    void theWorkerReadsTheBrokersShareAssignor() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            assertEquals(Optional.of(AllPartitionsShareAssignor.class.getName()), LaneCoverage.brokerAssignors(kit.admin()),
                    "what the worker's check at start reads from the embedded broker");
        }
    }

    /** Sends three short jobs (j0 to j2) and asserts each is answered once, inside 3 s, while the long job still runs. */
    private static void assertAnsweredWhileTheLongJobRuns(KafkaTestKit kit, FakeSandbox sandbox,
                                                          List<ProducerRecord<byte[], byte[]>> shortJobs) throws Exception {
        long sentAt = System.nanoTime();
        kit.sendAll(shortJobs);
        Map<String, Integer> counts = countById(kit.awaitReplies(3, Duration.ofSeconds(6)));
        long tookMillis = (System.nanoTime() - sentAt) / 1_000_000;
        assertEquals(Map.of("j0", 1, "j1", 1, "j2", 1), counts,
                "the three short jobs answered while the long one ran, in " + tookMillis + " ms");
        assertEquals(1, sandbox.busySlots(), "the long job still running");
        assertTrue(tookMillis < 3000, "short jobs answered in " + tookMillis + " ms, not after the long one");
    }

    private static ProducerRecord<byte[], byte[]> onPartitionZero(ProducerRecord<byte[], byte[]> r) {
        return new ProducerRecord<>(r.topic(), 0, r.key(), r.value(), r.headers());
    }

    @Test
    void aJobLongerThanItsLockIsRenewedNotDeliveredAgain() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            PrometheusMeterRegistry otherRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            FakeSandbox sandbox = new FakeSandbox(1);
            // A 2 s lock (the embedded broker allows 1 s) and a 7 s job: three and a half locks; a
            // second worker of the group would get the record if its lock ran out.
            WorkerConfig.Builder config = queue(kit, Duration.ofSeconds(2), 5);
            kit.startWorker(config.slots(1).build(), sandbox, registry);
            FakeSandbox other = new FakeSandbox(1);
            kit.startWorker(config.workerId("idle").slots(1).build(), other, otherRegistry);
            kit.send(kit.job("{\"id\":\"long\",\"language\":\"python3\",\"code\":\"sleep 7000\"}"));
            List<ConsumerRecord<byte[], byte[]>> replies = kit.awaitReplies(1, Duration.ofSeconds(60));
            JobReply reply = KafkaTestKit.reply(replies.get(0));
            assertEquals(Status.OK, reply.status(), reply::toString);
            assertEquals(1, reply.attempt(), "never delivered again while it ran: " + reply);
            assertEquals(1, sandbox.runs.get() + other.runs.get(), "run once, by one of the two workers");
            // 4 s: two locks after the answer; a record not accepted would be delivered again by then.
            kit.assertNoMoreReplies(Duration.ofSeconds(4), "the long job was answered once");
            String renewed = "sandq_queue_records_total{event=\"renewed\"}";
            assertTrue(meter(registry, renewed) + meter(otherRegistry, renewed) >= 3,
                    () -> "its lock renewed at least three times:\n" + registry.scrape() + otherRegistry.scrape());
        }
    }

    @Test
    void aStoppingWorkerReleasesQueuedJobsAndAnotherTakesThem() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            WorkerConfig.Builder config = queue(kit, Duration.ofSeconds(30), 5);
            FakeSandbox first = new FakeSandbox(1);
            Worker a = kit.startWorker(config.slots(1).prefetch(3).build(), first);
            kit.sendAll(jobs(kit, 4, "sleep 700"));
            Await.until(Duration.ofSeconds(30), () -> first.busySlots() == 1, () -> "the first job running");
            a.requestStop();
            assertTrue(a.awaitStopped(Duration.ofSeconds(30)));
            List<ConsumerRecord<byte[], byte[]>> drained = kit.awaitReplies(1, Duration.ofSeconds(5));
            String drainedId = KafkaTestKit.reply(drained.get(0)).id();
            // The rest were released, not left to their 30 s locks: the second worker answers them well before.
            kit.startWorker(config.workerId("second").slots(2).build(), new FakeSandbox(2));
            Map<String, Integer> rest = countById(kit.awaitReplies(3, Duration.ofSeconds(20)));
            assertEquals(3, rest.size(), rest::toString);
            assertTrue(!rest.containsKey(drainedId), "the drained job was answered once: " + rest);
        }
    }

    @Test
    void aJobWhoseSandboxKeepsFailingIsReleasedThenAnsweredAtTheLastAttempt() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            FakeSandbox broken = new FakeSandbox(1);
            broken.broken.set(true);
            kit.startWorker(queue(kit, Duration.ofSeconds(5), 5).slots(1).jobAttempts(3).circuitMinimumCalls(100)
                    .build(), broken);
            kit.send(kit.job("{\"id\":\"unlucky\",\"language\":\"python3\",\"code\":\"ok\"}"));
            JobReply reply = KafkaTestKit.reply(kit.awaitReplies(1, Duration.ofSeconds(60)).get(0));
            assertEquals(Status.INTERNAL_ERROR, reply.status(), reply::toString);
            assertEquals(3, reply.attempt(), "released twice, each delivery one attempt: " + reply);
            assertEquals(3, broken.runs.get());
        }
    }

    @Test
    void aJobAtTheDeliveryLimitIsAnsweredAndDeadLetteredNotRun() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            WorkerConfig.Builder config = queue(kit, Duration.ofSeconds(5), 2);
            kit.send(kit.job("{\"id\":\"poison\",\"language\":\"python3\",\"code\":\"ok\"}"));
            // A member of the group takes the job and gives it back unanswered, as a worker that
            // crashed would (its lock running out): the next delivery is the group's limit, 2.
            try (KafkaShareConsumer<byte[], byte[]> crashing = new KafkaShareConsumer<>(Map.of(
                    "bootstrap.servers", kit.bootstrap, "group.id", kit.group, "share.acknowledgement.mode", "explicit"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                crashing.subscribe(List.of(kit.topics.jobs()));
                List<ConsumerRecord<byte[], byte[]>> taken = new ArrayList<>();
                Await.until(Duration.ofSeconds(60), () -> {
                    crashing.poll(Duration.ofMillis(200)).forEach(taken::add);
                    return !taken.isEmpty();
                }, () -> "the job delivered to the crashing member");
                crashing.acknowledge(taken.get(0), AcknowledgeType.RELEASE);
                crashing.commitSync();
            }
            FakeSandbox sandbox = new FakeSandbox(1);
            kit.startWorker(config.build(), sandbox);
            JobReply reply = KafkaTestKit.reply(kit.awaitReplies(1, Duration.ofSeconds(60)).get(0));
            assertEquals(Status.INTERNAL_ERROR, reply.status(), reply::toString);
            assertEquals(2, reply.attempt(), reply::toString);
            assertTrue(reply.error().contains("delivered 2 times"), reply::toString);
            ConsumerRecord<byte[], byte[]> letter = kit.awaitDeadLetters(1, Duration.ofSeconds(30)).get(0);
            assertEquals(PoisonJobException.class.getName(), new String(
                    letter.headers().lastHeader(WireHeaders.DLT_EXCEPTION_FQCN).value(), StandardCharsets.UTF_8));
            assertEquals(kit.group, new String(letter.headers().lastHeader(WireHeaders.DLT_ORIGINAL_CONSUMER_GROUP)
                    .value(), StandardCharsets.UTF_8));
            assertEquals(kit.topics.jobs(), new String(letter.headers().lastHeader(WireHeaders.DLT_ORIGINAL_TOPIC)
                    .value(), StandardCharsets.UTF_8));
            assertEquals(0, sandbox.runs.get(), "a poison job is not run again");
            // Rejected, so never delivered again: 10 s is two of its 5 s locks.
            kit.assertNoMoreReplies(Duration.ofSeconds(10), "the poison job's record was rejected");
        }
    }

    @Test
    void theShareGroupsLagCountsTheJobsNotYetAnswered() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            kit.startWorker(queue(kit, Duration.ofSeconds(30), 5).slots(1).prefetch(0).build(), new FakeSandbox(1),
                    registry);
            kit.sendAll(jobs(kit, 4, "sleep 2500"));
            ShareGroupLag lag = new ShareGroupLag(kit.admin(), kit.group, kit.topics.jobs());
            // One job runs at a time for 2.5 s: the first reading after the group has state sees most waiting.
            long waiting = Await.untilPresent(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
                var l = lag.read();
                return l.isPresent() && l.getAsLong() > 0 ? java.util.Optional.of(l.getAsLong()) : java.util.Optional.empty();
            }, () -> "a lag read while jobs wait");
            assertTrue(waiting >= 2, "jobs waiting behind the running one: lag " + waiting);
            kit.awaitReplies(4, Duration.ofSeconds(60));
            Await.until(Duration.ofSeconds(30), () -> lag.read().orElse(-1) == 0, () -> "no lag once all are accepted");
            assertTrue(registry.scrape().contains("sandq_queue_lag "), "the worker shows it: sandq_queue_lag");
        }
    }

    @Test
    void whileItsCircuitIsOpenAWorkerReleasesItsJobsToAHealthyOne() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            WorkerConfig.Builder config = queue(kit, Duration.ofSeconds(30), 10);
            FakeSandbox broken = new FakeSandbox(1);
            broken.broken.set(true);
            // One failure opens the circuit for a minute: the jobs it takes meanwhile are not tried.
            Worker sick = kit.startWorker(config.slots(1).jobAttempts(100).circuitMinimumCalls(1)
                    .circuitOpenFor(Duration.ofMinutes(1)).build(), broken);
            kit.sendAll(jobs(kit, 3, "ok"));
            Await.until(Duration.ofSeconds(60), () -> !sick.ready(), () -> "the sick worker's circuit open");
            FakeSandbox healthy = new FakeSandbox(1);
            kit.startWorker(config.workerId("healthy").slots(1).jobAttempts(3).circuitMinimumCalls(100).build(),
                    healthy);
            // Released, not left to their 30 s locks: the healthy worker answers them well before.
            Map<String, Integer> counts = countById(kit.awaitReplies(3, Duration.ofSeconds(20)));
            assertEquals(3, counts.size(), counts::toString);
            for (var r : kit.moreReplies(Duration.ofMillis(500))) {
                counts.merge(KafkaTestKit.reply(r).id(), 1, Integer::sum);
            }
            assertTrue(counts.values().stream().allMatch(n -> n == 1), "each answered once: " + counts);
            assertEquals(1, broken.runs.get(), "the sick worker tried one job, then none while its circuit was open");
        }
    }

    /**
     * After a poll that returned nothing, Kafka's share consumer goes on fetching in the
     * background, and a record it acquires then waits in its buffer, unseen by the lane. A lane
     * paused for longer than the lock (the sandbox circuit is open for longer) must give such a
     * record back, not keep it locked until its lock runs out while other workers could run it: it
     * closes its consumer (with unsubscribe instead, this record came back after 29.5 s of its 30 s
     * lock, measured).
     */
    @Test
    void aRecordAcquiredUnseenByALanePausedPastItsLockGoesBackToTheGroupWellBeforeItsLockEnds() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            WorkerConfig config = queue(kit, Duration.ofSeconds(30), 10).build();
            List<ConsumerRecord<byte[], byte[]>> seen = new CopyOnWriteArrayList<>();
            ShareLane.Listener listener = new ShareLane.Listener() {
                @Override
                public void arrived(ShareLane lane, ConsumerRecord<byte[], byte[]> record) {
                    seen.add(record);
                }

                @Override
                public void letGo(AcquiredRecord.Key key) {
                }

                @Override
                public void failed(ShareLane lane, RuntimeException error) {
                }
            };
            // Counts the polls that came back empty, so that the record is sent just after the lane's last one.
            AtomicInteger emptyPolls = new AtomicInteger();
            ShareLane lane = new ShareLane("lane-0",
                    () -> new KafkaShareConsumer<byte[], byte[]>(KafkaClientProperties.shareConsumer(config, 0)) {
                        @Override
                        public ConsumerRecords<byte[], byte[]> poll(Duration t) {
                            var polled = super.poll(t);
                            if (polled.isEmpty()) {
                                emptyPolls.incrementAndGet();
                            }
                            return polled;
                        }
                    },
                    new QueueMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), Clock.systemUTC(),
                    Duration.ofSeconds(30), Duration.ofMillis(100), listener, d -> { });
            try {
                lane.start(kit.topics.jobs());
                // Fetches go out once the member has its partition: the group gives it, the member
                // hears of it with its next heartbeat (1 s on the test broker), and polls on.
                Await.until(Duration.ofSeconds(30), () -> hasAPartition(kit), () -> "the lane has its partition");
                int assignedAt = emptyPolls.get();
                Await.until(Duration.ofSeconds(30), () -> emptyPolls.get() >= assignedAt + 3,
                        () -> "the lane's polls come back empty");
                // The circuit is open for five minutes: past the 30 s lock.
                lane.pauseUntil(Instant.now().plus(Duration.ofMinutes(5)));
                int before = emptyPolls.get();
                // The poll under way when it was paused is its last: the record comes just after it.
                Await.until(Duration.ofSeconds(5), () -> emptyPolls.get() > before, () -> "its last poll returned");
                // A record the client acquires in the background is one of these (the lane asks for one at a time).
                for (int i = 0; i < 5; i++) {
                    kit.send(kit.job("{\"id\":\"unseen-" + i + "\",\"language\":\"python3\",\"code\":\"ok\"}"));
                    Thread.sleep(100);
                }
                Thread.sleep(ShareLane.LEAVE_WHEN_PAUSED_FOR.toMillis());
                assertEquals(List.of(), seen, "the paused lane handed nothing to the worker");
                try (KafkaShareConsumer<byte[], byte[]> other = new KafkaShareConsumer<>(
                        KafkaClientProperties.shareConsumer(config, 1))) {
                    other.subscribe(List.of(kit.topics.jobs()));
                    List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
                    long start = System.nanoTime();
                    Await.until(Duration.ofSeconds(10), () -> {
                        for (ConsumerRecord<byte[], byte[]> r : other.poll(Duration.ofMillis(200))) {
                            got.add(r);
                            other.acknowledge(r, AcknowledgeType.ACCEPT);
                        }
                        return got.size() == 5;
                    }, () -> "all 5 records delivered to another member within 10 s (their lock is 30 s); got "
                            + got.stream().map(ConsumerRecord::offset).toList());
                    System.err.printf("another member got all 5 after %d ms%n", (System.nanoTime() - start) / 1_000_000);
                    other.commitSync();
                }
            } finally {
                lane.close();
                assertTrue(lane.awaitEnd(Duration.ofSeconds(10)), "the lane's thread ended");
            }
        }
    }

    @Test
    void aJobThatCannotBeRoutedIsDeadLetteredAndRejectedNeverDeliveredAgain() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            kit.startWorker(queue(kit, Duration.ofSeconds(2), 5).build(), new FakeSandbox(1), registry);
            ProducerRecord<byte[], byte[]> job = kit.job("{\"id\":\"lost\",\"language\":\"python3\",\"code\":\"ok\"}");
            job.headers().add(WireHeaders.REPLY_TOPIC, "no-such-topic".getBytes(StandardCharsets.UTF_8));
            kit.send(job);
            ConsumerRecord<byte[], byte[]> letter = kit.awaitDeadLetters(1, Duration.ofSeconds(60)).get(0);
            assertEquals("dev.sandq.wire.UnroutableJobException", new String(
                    letter.headers().lastHeader(WireHeaders.DLT_EXCEPTION_FQCN).value(), StandardCharsets.UTF_8));
            assertEquals(kit.group, new String(letter.headers().lastHeader(WireHeaders.DLT_ORIGINAL_CONSUMER_GROUP)
                    .value(), StandardCharsets.UTF_8));
            Await.until(Duration.ofSeconds(10),
                    () -> meter(registry, "sandq_queue_records_total{event=\"rejected\"}") == 1,
                    () -> "its record rejected:\n" + registry.scrape());
            // 6 s: three of its 2 s locks; a record not acknowledged would be delivered again by then.
            Await.nothingFor(Duration.ofSeconds(6), Await.POLL,
                    () -> meter(registry, "sandq_queue_records_total{event=\"acquired\"}") > 1,
                    () -> "the rejected record was delivered again");
        }
    }

    /**
     * While its circuit is open and it holds nothing, a queue worker does not poll (a poll would
     * only acquire jobs to release them): its lanes leave the group after a second paused, well
     * before max.poll.interval.ms (2 s here) would put them out, and when the circuit lets jobs
     * through again they join again and answer them.
     */
    @Test
    void aWorkerIdleLongerThanMaxPollIntervalWhileItsCircuitIsOpenJoinsAgain() throws Exception {
        try (KafkaTestKit kit = new KafkaTestKit(1)) {
            FakeSandbox sandbox = new FakeSandbox(1);
            sandbox.broken.set(true);
            Worker w = kit.startWorker(queue(kit, Duration.ofSeconds(30), 10).slots(1).jobAttempts(100)
                    .circuitMinimumCalls(1).circuitOpenFor(Duration.ofSeconds(8))
                    .kafkaProperties(Map.of("max.poll.interval.ms", "2000")).build(), sandbox);
            kit.send(kit.job("{\"id\":\"later\",\"language\":\"python3\",\"code\":\"ok\"}"));
            Await.until(Duration.ofSeconds(60), () -> !w.ready(), () -> "the circuit open");
            sandbox.broken.set(false);
            JobReply reply = KafkaTestKit.reply(kit.awaitReplies(1, Duration.ofSeconds(60)).get(0));
            assertEquals(Status.OK, reply.status(), reply::toString);
            assertEquals(2, reply.attempt(), "released once while the circuit was open: " + reply);
            assertTrue(w.healthy() && w.failure() == null, "the worker goes on: " + w.failure());
        }
    }
}
