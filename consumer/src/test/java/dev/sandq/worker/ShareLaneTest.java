package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Await;
import dev.sandq.testing.Fast;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.AcknowledgementCommitCallback;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRecordStateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One lane's cycle against the client's mock share consumer, on the lane's own thread: fetch,
 * renew at half the lock, acknowledge with the next fetch (or on its own when paused), release what
 * the worker did not take, lose the lock when a renewal is refused, settle when the worker stops.
 */
@Fast
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ShareLaneTest {
    private static final Duration LOCK = Duration.ofMillis(400);
    private static final Duration ACKNOWLEDGEMENT_INTERVAL = Duration.ofMillis(100);
    private static final Uuid TOPIC_ID = Uuid.randomUuid();

    /**
     * What the lane did to its consumer, in order ("poll", "RENEW@7", "commitAsync"...). A renewed
     * record comes back with the next poll, unless renewals are refused; the broker's answers reach
     * the commit callback at the next poll or commit, as with the real client.
     */
    private static final class RecordingShareConsumer extends MockShareConsumer<byte[], byte[]> {
        final List<String> calls = new CopyOnWriteArrayList<>();
        /** Acknowledgements made and not answered yet: renewals, and the rest. */
        private final Map<TopicIdPartition, Set<Long>> renewals = new HashMap<>();
        private final Map<TopicIdPartition, Set<Long>> others = new HashMap<>();
        private AcknowledgementCommitCallback callback;
        volatile boolean refuseRenewals;

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            calls.add("poll");
            answerAcknowledgements();
            ConsumerRecords<byte[], byte[]> polled = super.poll(timeout);
            if (polled.isEmpty()) {
                try {
                    wait(Math.min(timeout.toMillis(), 20)); // the mock returns at once; the real one waits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return polled;
        }

        @Override
        public synchronized void acknowledge(ConsumerRecord<byte[], byte[]> record, AcknowledgeType type) {
            calls.add(type.name() + "@" + record.offset());
            (type == AcknowledgeType.RENEW ? renewals : others).computeIfAbsent(
                    new TopicIdPartition(TOPIC_ID, record.partition(), record.topic()), k -> new HashSet<>())
                    .add(record.offset());
            if (type == AcknowledgeType.RENEW && !refuseRenewals) {
                addRecord(record);
            }
        }

        @Override
        public synchronized void subscribe(java.util.Collection<String> topics) {
            calls.add("subscribe");
            super.subscribe(topics);
        }

        @Override
        public synchronized void unsubscribe() {
            calls.add("unsubscribe");
            super.unsubscribe();
        }

        @Override
        public synchronized void close() {
            calls.add("close");
            super.close();
        }

        @Override
        public synchronized void commitAsync() {
            calls.add("commitAsync");
            answerAcknowledgements();
        }

        @Override
        public synchronized Map<TopicIdPartition, Optional<KafkaException>> commitSync(Duration timeout) {
            calls.add("commitSync");
            answerAcknowledgements();
            return Map.of();
        }

        @Override
        public void setAcknowledgementCommitCallback(AcknowledgementCommitCallback callback) {
            this.callback = callback;
        }

        @Override
        public Optional<Integer> acquisitionLockTimeoutMs() {
            return Optional.of((int) LOCK.toMillis());
        }

        /** The broker's answers: renewals refused when so told, every other acknowledgement taken. */
        private void answerAcknowledgements() {
            renewals.forEach((tip, offsets) -> callback.onComplete(Map.of(tip, offsets),
                    refuseRenewals ? new InvalidRecordStateException("lock lost") : null));
            others.forEach((tip, offsets) -> callback.onComplete(Map.of(tip, offsets), null));
            renewals.clear();
            others.clear();
        }

        int count(String call) {
            return (int) calls.stream().filter(call::equals).count();
        }
    }

    private static final class RecordingListener implements ShareLane.Listener {
        final BlockingQueue<ConsumerRecord<byte[], byte[]>> arrived = new LinkedBlockingQueue<>();
        final List<AcquiredRecord.Key> letGo = new CopyOnWriteArrayList<>();
        volatile RuntimeException failure;

        @Override
        public void arrived(ShareLane lane, ConsumerRecord<byte[], byte[]> record) {
            arrived.add(record);
        }

        @Override
        public void letGo(AcquiredRecord.Key key) {
            letGo.add(key);
        }

        @Override
        public void failed(ShareLane lane, RuntimeException error) {
            failure = error;
        }
    }

    private final RecordingShareConsumer consumer = new RecordingShareConsumer();
    /** The consumers the lane opened: {@link #consumer}, then a new one each time it joins after closing one. */
    private final List<RecordingShareConsumer> opened = new CopyOnWriteArrayList<>();
    private final RecordingListener listener = new RecordingListener();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Duration> confirmed = new CopyOnWriteArrayList<>();
    private final ShareLane lane = new ShareLane("lane-0", () -> {
        RecordingShareConsumer c = opened.isEmpty() ? consumer : new RecordingShareConsumer();
        opened.add(c);
        return c;
    }, new QueueMetrics(registry), Clock.systemUTC(),
            LOCK, ACKNOWLEDGEMENT_INTERVAL, listener, confirmed::add);
    private final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("jobs", 0, 7, new byte[0], new byte[0]);

    @AfterEach
    void closeLane() throws InterruptedException {
        lane.close();
        assertTrue(lane.awaitEnd(Duration.ofSeconds(5)), "the lane's thread ended");
        assertEquals(null, listener.failure);
    }

    private double records(String event) {
        return registry.get("sandq.queue.records").tag("event", event).counter().count();
    }

    /** The lane started, the record fetched and taken for a slot. */
    private TakenJob running() throws InterruptedException {
        lane.start("jobs");
        consumer.addRecord(record);
        ConsumerRecord<byte[], byte[]> got = listener.arrived.poll(5, TimeUnit.SECONDS);
        assertEquals(7, got.offset());
        return lane.take(got, System.nanoTime()).orElseThrow();
    }

    @Test
    void anAnsweredRecordIsAcknowledgedByTheNextFetchNotARequestOfItsOwn() throws Exception {
        TakenJob job = running();
        assertEquals(Optional.empty(), lane.take(record, System.nanoTime()), "taken once only");
        lane.answer(job.lease(), AcknowledgeType.ACCEPT, System.nanoTime());
        Await.until(Duration.ofSeconds(5), () -> consumer.calls.contains("ACCEPT@7"), () -> "ACCEPT: " + consumer.calls);
        int at = consumer.calls.indexOf("ACCEPT@7");
        Await.until(Duration.ofSeconds(5), () -> {
            List<String> calls = List.copyOf(consumer.calls); // a view of the live list would fail as it grows
            return calls.subList(at, calls.size()).contains("poll");
        }, () -> "a fetch after it: " + consumer.calls);
        assertEquals(0, consumer.count("commitAsync"), consumer.calls::toString);
        assertFalse(job.lease().held(), "its lease ended");
        assertEquals(List.of(AcquiredRecord.Key.of(record)), listener.letGo);
        assertEquals(1, records("accepted"));
        Await.until(Duration.ofSeconds(5), () -> confirmed.size() == 1, () -> "its confirmation timed");
    }

    /**
     * The poll loop keeps a deferred job to run it again while its lease is held: in queue mode it
     * must not (the broker delivers the released record again), so the answer ends the lease at
     * once, not when the lane's thread gets to the acknowledgement.
     */
    @Test
    void anAnswerEndsTheJobsLeaseAtOnce() throws Exception {
        TakenJob job = running();
        lane.answer(job.lease(), AcknowledgeType.RELEASE, 0);
        assertFalse(job.lease().held(), "the lease ended with the answer");
        Await.until(Duration.ofSeconds(5), () -> consumer.calls.contains("RELEASE@7"), () -> "RELEASE: " + consumer.calls);
    }

    @Test
    void aRunningJobsRecordIsRenewedEachTimeHalfItsLockIsGone() throws Exception {
        TakenJob job = running();
        Thread.sleep(LOCK.toMillis() * 2 + 100);
        int renewals = consumer.count("RENEW@7");
        // Every 200 ms over 900 ms: 4, less what a busy machine delays.
        assertTrue(renewals >= 2 && renewals <= 4, "renewed at half the lock each time: " + consumer.calls);
        assertEquals(renewals, records("renewed"), 0.5, "each came back");
        assertTrue(job.lease().held(), "still held");
        lane.answer(job.lease(), AcknowledgeType.ACCEPT, 0);
        Await.until(Duration.ofSeconds(5), () -> consumer.calls.contains("ACCEPT@7"), () -> "ACCEPT: " + consumer.calls);
        assertEquals(0, records("lock_lost"));
    }

    @Test
    void aPausedLaneFetchesNothingAndSendsItsAcknowledgementOnItsOwnAfterTheInterval() throws Exception {
        TakenJob job = running();
        lane.pause();
        long answeredAt = System.nanoTime();
        lane.answer(job.lease(), AcknowledgeType.RELEASE, 0);
        Await.until(Duration.ofSeconds(5), () -> consumer.calls.contains("commitAsync"),
                () -> "the acknowledgement sent on its own: " + consumer.calls);
        long tookMillis = (System.nanoTime() - answeredAt) / 1_000_000;
        assertTrue(tookMillis >= ACKNOWLEDGEMENT_INTERVAL.toMillis() - 5, "not before the interval: " + tookMillis);
        int at = consumer.calls.indexOf("RELEASE@7");
        assertTrue(at >= 0 && at < consumer.calls.indexOf("commitAsync"), consumer.calls::toString);
        int polls = consumer.count("poll");
        Thread.sleep(300);
        assertEquals(polls, consumer.count("poll"), "paused and idle: no fetch");
        lane.resume();
        Await.until(Duration.ofSeconds(5), () -> consumer.count("poll") > polls, () -> "resumed: it fetches again");
        assertEquals(1, records("released"));
    }

    @Test
    void aRecordTheWorkerDidNotTakeIsReleased() throws Exception {
        lane.start("jobs");
        consumer.addRecord(record);
        ConsumerRecord<byte[], byte[]> got = listener.arrived.poll(5, TimeUnit.SECONDS);
        lane.releaseIfNotTaken(AcquiredRecord.Key.of(got));
        Await.until(Duration.ofSeconds(5), () -> consumer.calls.contains("RELEASE@7"), () -> "RELEASE: " + consumer.calls);
        assertEquals(Optional.empty(), lane.take(got, System.nanoTime()), "given back: not taken any more");
    }

    @Test
    void aRenewalTheBrokerRefusesLosesTheLockAndTheJobsLease() throws Exception {
        consumer.refuseRenewals = true;
        TakenJob job = running();
        Await.until(Duration.ofSeconds(5), () -> !job.lease().held(), () -> "the lease ended: " + consumer.calls);
        assertEquals(1, records("lock_lost"));
        assertEquals(List.of(AcquiredRecord.Key.of(record)), listener.letGo);
        lane.answer(job.lease(), AcknowledgeType.ACCEPT, 0);
        Thread.sleep(100);
        assertFalse(consumer.calls.contains("ACCEPT@7"), "a record whose lock is lost is not acknowledged: "
                + consumer.calls);
    }

    @Test
    void settlingReleasesAnUnansweredRecordConfirmsAndEnds() throws Exception {
        running();
        lane.settle();
        assertTrue(lane.awaitEnd(Duration.ofSeconds(5)), "ended");
        List<String> calls = new ArrayList<>(consumer.calls);
        assertEquals(List.of("RELEASE@7", "commitSync", "close"), calls.subList(calls.size() - 3, calls.size()),
                calls::toString);
    }

    /**
     * The client goes on fetching in the background after a poll that returned nothing: a lane
     * paused for long (an open circuit) leaves the group, so that nothing it acquires unseen waits
     * out its lock there, and joins again when resumed.
     */
    @Test
    void anIdleLanePausedForASecondLeavesTheGroupAndJoinsAgainWhenResumed() throws Exception {
        lane.start("jobs");
        Await.until(Duration.ofSeconds(5), () -> consumer.count("poll") > 0, () -> "it fetches");
        lane.pause();
        Thread.sleep(ShareLane.LEAVE_WHEN_PAUSED_FOR.toMillis() / 2);
        assertFalse(consumer.calls.contains("unsubscribe"), "not before a second: " + consumer.calls);
        Await.until(Duration.ofSeconds(5), () -> consumer.calls.contains("unsubscribe"),
                () -> "it left the group: " + consumer.calls);
        assertEquals(Set.of(), consumer.subscription());
        int polls = consumer.count("poll");
        lane.resume();
        Await.until(Duration.ofSeconds(5), () -> consumer.count("poll") > polls, () -> "it fetches again");
        assertEquals(Set.of("jobs"), consumer.subscription(), "joined again");
        assertEquals(2, consumer.count("subscribe"), consumer.calls::toString);
    }

    /**
     * Paused past its acquisition lock (the sandbox circuit is open for longer), an idle lane closes
     * its consumer instead: that gives back at once a record a background fetch acquired unseen,
     * which would otherwise wait out its lock while the lane is away anyway. Resumed, it opens a
     * new consumer and joins again.
     */
    @Test
    void anIdleLanePausedPastItsLockClosesItsConsumerAndOpensANewOneWhenResumed() throws Exception {
        lane.start("jobs");
        Await.until(Duration.ofSeconds(5), () -> consumer.count("poll") > 0, () -> "it fetches");
        lane.pauseUntil(Instant.now().plusSeconds(60));
        Await.until(Duration.ofSeconds(5), () -> consumer.calls.contains("close"),
                () -> "it closed its consumer: " + consumer.calls);
        assertFalse(consumer.calls.contains("unsubscribe"), consumer.calls::toString);
        assertEquals(1, opened.size(), "no new consumer while paused");
        lane.resume();
        Await.until(Duration.ofSeconds(5), () -> opened.size() == 2 && opened.get(1).count("poll") > 0,
                () -> "resumed: a new consumer fetches; opened " + opened.size());
        assertEquals(Set.of("jobs"), opened.get(1).subscription(), "joined again");
    }

    /** Paused for less than its lock, it unsubscribes: a record acquired unseen is still there, as the same delivery, when it returns. */
    @Test
    void anIdleLanePausedForLessThanItsLockUnsubscribesAndKeepsItsConsumer() throws Exception {
        lane.start("jobs");
        Await.until(Duration.ofSeconds(5), () -> consumer.count("poll") > 0, () -> "it fetches");
        lane.pauseUntil(Instant.now().plus(LOCK.dividedBy(2)));
        Await.until(Duration.ofSeconds(5), () -> consumer.calls.contains("unsubscribe"),
                () -> "it left the group: " + consumer.calls);
        assertFalse(consumer.calls.contains("close"), consumer.calls::toString);
        lane.resume();
        int polls = consumer.count("poll");
        Await.until(Duration.ofSeconds(5), () -> consumer.count("poll") > polls, () -> "the same consumer fetches again");
        assertEquals(1, opened.size());
    }

    /** Left by unsubscribing while the pause's end was not known, a lane that learns it outlasts the lock closes its consumer. */
    @Test
    void aLaneThatLeftLearningThePauseOutlastsItsLockClosesItsConsumer() throws Exception {
        lane.start("jobs");
        Await.until(Duration.ofSeconds(5), () -> consumer.count("poll") > 0, () -> "it fetches");
        lane.pause();
        Await.until(Duration.ofSeconds(5), () -> consumer.calls.contains("unsubscribe"),
                () -> "it left the group: " + consumer.calls);
        assertFalse(consumer.calls.contains("close"), consumer.calls::toString);
        lane.pauseUntil(Instant.now().plusSeconds(60));
        Await.until(Duration.ofSeconds(5), () -> consumer.calls.contains("close"),
                () -> "it closed its consumer: " + consumer.calls);
    }
}
