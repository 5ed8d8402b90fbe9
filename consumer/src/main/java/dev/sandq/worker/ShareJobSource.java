package dev.sandq.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job records from a share group (KIP-932) through a {@link KafkaShareConsumer} in explicit
 * acknowledgement mode: every record is acknowledged on its own — ACCEPT, RELEASE or REJECT when
 * its job ends ({@link #acknowledge}), RENEW while it runs or waits for a slot. All on the poll
 * thread: the share consumer is not thread-safe.
 *
 * <p>A share consumer polls again only once every record of its last poll is acknowledged, and a
 * renewed record comes back in the next poll. So a poll renews every job still held, and this
 * source polls: when it holds no job that a poll would renew; while it takes jobs, at most every
 * {@link #RENEWING_POLL_INTERVAL}; whatever else, when a lock is half gone, and, while it holds
 * records, at least every {@link #KEEP_ALIVE} (max.poll.interval.ms). In between, {@link #poll} waits for a slot
 * to finish a job ({@link #wake()}). Acknowledgements ride on the next poll's fetch; they are sent on
 * their own ({@link #sendAcknowledgements}) only when no poll has carried any for the acknowledgement
 * interval: a request per job would cost the broker a share-state write and a round trip each. Paused (the slots and
 * prefetch are full, the circuit is open or the worker drains), it polls only to renew, or to bring
 * back a record being renewed whose job has ended, for its acknowledgement; what such
 * a poll acquires is still taken (it waits for a slot, its lock renewed), except while draining,
 * when it is released.
 */
final class ShareJobSource implements JobSource {
    private static final Logger LOG = LoggerFactory.getLogger(ShareJobSource.class);
    /**
     * Shortest time between two polls that renew jobs (each a round trip to the broker), while the
     * worker takes more: how long a new job may wait while another one runs and a slot is free.
     */
    static final Duration RENEWING_POLL_INTERVAL = Duration.ofMillis(100);
    /** Longest time without a poll: well inside max.poll.interval.ms (5 minutes by default). */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(60);
    /** How long a stopping worker waits for its answered jobs' records to come back from renewal. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SETTLE_POLL = Duration.ofMillis(100);
    /** Answered jobs timed until their acknowledgement is confirmed, at most (beyond: not timed). */
    private static final int MAX_UNCONFIRMED = 4096;

    private final ShareConsumer<byte[], byte[]> consumer;
    private final QueueMetrics metrics;
    private final Clock clock;
    private final Duration lockBeforeFirstFetch;
    private final Duration acknowledgementInterval;
    private final Map<AcquiredRecord.Key, AcquiredRecord> held = new LinkedHashMap<>();
    /** Answered records whose acknowledgement the broker has not confirmed yet: when they were answered (nanoTime). */
    private final Map<AcquiredRecord.Key, Long> unconfirmed = new LinkedHashMap<>();
    private final java.util.function.Consumer<Duration> confirmed;
    private final Semaphore finished = new Semaphore(0);
    private boolean paused;
    private boolean unsentAcknowledgements;
    private Instant lastPollAt;
    /** When acknowledgements last left, by a poll or on their own. */
    private Instant acknowledgementsSentAt;
    private volatile int heldCount;

    /**
     * @param confirmed told, for each answered job whose acknowledgement the broker confirmed,
     *                  the time from its answer's acknowledgement to that confirmation (the job's
     *                  last stage, {@link dev.sandq.wire.JobStage#COMMITTED})
     */
    ShareJobSource(ShareConsumer<byte[], byte[]> consumer, QueueMetrics metrics, Clock clock,
                   Duration lockBeforeFirstFetch, Duration acknowledgementInterval,
                   java.util.function.Consumer<Duration> confirmed) {
        this.confirmed = confirmed;
        this.acknowledgementInterval = acknowledgementInterval;
        this.consumer = consumer;
        this.metrics = metrics;
        this.clock = clock;
        this.lockBeforeFirstFetch = lockBeforeFirstFetch;
        this.lastPollAt = clock.instant();
        this.acknowledgementsSentAt = lastPollAt;
        consumer.setAcknowledgementCommitCallback(this::acknowledgementsDone);
        metrics.held(() -> heldCount);
    }

    static ShareJobSource open(WorkerConfig config, QueueMetrics metrics, Clock clock, Duration lock,
                               java.util.function.Consumer<Duration> confirmed) {
        return new ShareJobSource(new KafkaShareConsumer<>(KafkaClientProperties.shareConsumer(config)), metrics,
                clock, lock, config.commitInterval(), confirmed);
    }

    @Override
    public void subscribe(String topic, BeforeRevocation beforeRevocation) {
        // A share group moves no partitions between members: nothing is ever revoked.
        consumer.subscribe(List.of(topic));
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        Instant now = clock.instant();
        if (!pollDue(now)) {
            sendAcknowledgements();
            awaitFinishedJob(timeout);
            return ConsumerRecords.empty();
        }
        acknowledgeLastPoll();
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(timeout);
        unsentAcknowledgements = false;
        lastPollAt = clock.instant();
        acknowledgementsSentAt = lastPollAt;
        return arrived(polled, lastPollAt);
    }

    private boolean pollDue(Instant now) {
        // Paused with nothing held (the circuit is open, say), it does not poll at all: a poll
        // would acquire jobs only to release them, a delivery each. Past max.poll.interval.ms the
        // consumer leaves the group, and it joins again at its next poll.
        if (!held.isEmpty() && !now.isBefore(lastPollAt.plus(KEEP_ALIVE))) {
            return true;
        }
        boolean renewsJobs = false;
        boolean answerAwaitsRenewedRecord = false;
        Duration renewAfter = lock().dividedBy(2);
        for (AcquiredRecord a : held.values()) {
            // A record being renewed counts too: only a poll brings it back, paused or not.
            if (a.taken && (a.acknowledgeable || a.renewing)) {
                renewsJobs |= a.acknowledgeable;
                answerAwaitsRenewedRecord |= a.renewing && a.answer != null;
                if (!now.isBefore(a.lockedAt.plus(renewAfter))) {
                    return true;
                }
            }
        }
        boolean renewingIntervalPassed = !now.isBefore(lastPollAt.plus(RENEWING_POLL_INTERVAL));
        if (paused) {
            // A job that ended while its record was being renewed (released while the circuit is
            // open, say) has its acknowledgement wait for the poll that returns the record.
            return answerAwaitsRenewedRecord && renewingIntervalPassed;
        }
        return !renewsJobs || renewingIntervalPassed;
    }

    /** The acquisition lock: the broker's, once a fetch told it, else the group's config read at start. */
    Duration lock() {
        return consumer.acquisitionLockTimeoutMs().map(ms -> Duration.ofMillis(ms)).orElse(lockBeforeFirstFetch);
    }

    /** Before a poll: RENEW what runs, RELEASE what was not taken, so that every record of the last poll is acknowledged. */
    private void acknowledgeLastPoll() {
        for (AcquiredRecord a : new ArrayList<>(held.values())) {
            if (!a.acknowledgeable) {
                continue;
            }
            if (!a.taken) {
                a.answer = AcknowledgeType.RELEASE;
            }
            if (a.answer != null) {
                acknowledgeNow(a);
            } else {
                consumer.acknowledge(a.record, AcknowledgeType.RENEW);
                a.acknowledgeable = false;
                a.renewing = true;
            }
        }
    }

    /** New records are returned for the loop to take; a renewed one, back again, is noted and not returned. */
    private ConsumerRecords<byte[], byte[]> arrived(ConsumerRecords<byte[], byte[]> polled, Instant at) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> fresh = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : polled) {
            AcquiredRecord.Key key = AcquiredRecord.Key.of(r);
            AcquiredRecord a = held.get(key);
            if (a != null) {
                a.record = r;
                a.lockedAt = at;
                a.acknowledgeable = true;
                a.renewing = false;
                metrics.event(QueueMetrics.Event.RENEWED);
                if (a.answer != null) {
                    acknowledgeNow(a);
                }
                continue;
            }
            AcquiredRecord acquired = new AcquiredRecord(r, at);
            held.put(key, acquired);
            metrics.acquired(acquired.deliveries());
            fresh.computeIfAbsent(acquired.lease.partition(), k -> new ArrayList<>()).add(r);
        }
        heldCount = held.size();
        return fresh.isEmpty() ? ConsumerRecords.empty() : new ConsumerRecords<>(fresh, Map.of());
    }

    @Override
    public Optional<TakenJob> take(ConsumerRecord<byte[], byte[]> record, long polledAt) {
        AcquiredRecord a = held.get(AcquiredRecord.Key.of(record));
        if (a == null || a.taken || !a.lease.held()) {
            return Optional.empty();
        }
        a.taken = true;
        return Optional.of(new TakenJob(record, a.lease, a.deliveries(), JobTimeline.polledAt(polledAt)));
    }

    /**
     * The job of {@code job} ended: gives its record {@code type} now, or, when the record is
     * being renewed, as soon as it is back. Nothing when the record's lock was lost meanwhile.
     */
    void acknowledge(TakenJob job, AcknowledgeType type, long answeredAt) {
        AcquiredRecord.Key key = AcquiredRecord.Key.of(job.record());
        AcquiredRecord a = held.get(key);
        if (a == null || a.lease != job.lease()) {
            return;
        }
        a.answer = type;
        if (answeredAt != 0 && unconfirmed.size() < MAX_UNCONFIRMED) {
            unconfirmed.put(key, answeredAt);
        }
        if (a.acknowledgeable) {
            acknowledgeNow(a);
        }
    }

    private void acknowledgeNow(AcquiredRecord a) {
        consumer.acknowledge(a.record, a.answer);
        held.remove(AcquiredRecord.Key.of(a.record));
        heldCount = held.size();
        a.lease.end();
        unsentAcknowledgements = true;
        metrics.event(switch (a.answer) {
            case ACCEPT -> QueueMetrics.Event.ACCEPTED;
            case REJECT -> QueueMetrics.Event.REJECTED;
            default -> QueueMetrics.Event.RELEASED;
        });
    }

    /**
     * Sends the acknowledgements made since the last poll, without waiting for the next one, once
     * none have left for the acknowledgement interval (at once when it is zero).
     */
    void sendAcknowledgements() {
        Instant now = clock.instant();
        if (unsentAcknowledgements && !now.isBefore(acknowledgementsSentAt.plus(acknowledgementInterval))) {
            consumer.commitAsync();
            unsentAcknowledgements = false;
            acknowledgementsSentAt = now;
        }
    }

    /**
     * The worker stops, its slots idle: every record still held gets its answer's acknowledgement
     * (RELEASE for those not answered), waiting up to {@link #SETTLE_TIMEOUT} for records being
     * renewed to come back; what is still held then is released by {@link #close()}.
     */
    void settleAll() {
        Instant deadline = clock.instant().plus(SETTLE_TIMEOUT);
        while (true) {
            for (AcquiredRecord a : new ArrayList<>(held.values())) {
                if (a.acknowledgeable) {
                    if (a.answer == null) {
                        a.answer = AcknowledgeType.RELEASE;
                    }
                    acknowledgeNow(a);
                }
            }
            if (held.isEmpty() || !clock.instant().isBefore(deadline)) {
                break;
            }
            arrived(consumer.poll(SETTLE_POLL), clock.instant());
        }
        try {
            consumer.commitSync(SETTLE_TIMEOUT);
        } catch (KafkaException e) {
            LOG.warn("the last acknowledgements were not confirmed: {}", e.toString());
        }
        unsentAcknowledgements = false;
    }

    /** The broker's answer to acknowledgements; a renewal refused means the record's lock is lost. */
    private void acknowledgementsDone(Map<TopicIdPartition, Set<Long>> offsets, Exception error) {
        int count = offsets.values().stream().mapToInt(Set::size).sum();
        metrics.acknowledgements(count, error == null);
        long now = System.nanoTime();
        offsets.forEach((tip, set) -> set.forEach(offset -> {
            Long answeredAt = unconfirmed.remove(new AcquiredRecord.Key(tip.topic(), tip.partition(), offset));
            if (answeredAt != null && error == null) {
                confirmed.accept(Duration.ofNanos(now - answeredAt));
            }
        }));
        if (error == null) {
            return;
        }
        List<AcquiredRecord.Key> lost = new ArrayList<>();
        offsets.forEach((tip, set) -> set.forEach(offset -> {
            AcquiredRecord.Key key = new AcquiredRecord.Key(tip.topic(), tip.partition(), offset);
            AcquiredRecord a = held.get(key);
            if (a != null && a.renewing) {
                held.remove(key);
                a.lease.end();
                metrics.event(QueueMetrics.Event.LOCK_LOST);
                lost.add(key);
            }
        }));
        heldCount = held.size();
        LOG.warn("the broker refused {} acknowledgement(s) ({}){}: {}", count, summary(offsets),
                lost.isEmpty() ? "" : "; the locks of " + lost + " are lost, their jobs may be answered again elsewhere",
                error.toString());
    }

    private static String summary(Map<TopicIdPartition, Set<Long>> offsets) {
        return offsets.entrySet().stream().map(e -> e.getKey().topic() + "-" + e.getKey().partition() + "@"
                + e.getValue()).collect(Collectors.joining(", "));
    }

    /** A slot finished a job (any thread): the poll thread stops waiting. */
    void wake() {
        finished.release();
    }

    private void awaitFinishedJob(Duration timeout) {
        try {
            if (finished.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                finished.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean owns(PartitionLease lease) {
        return lease.held();
    }

    /** The partitions of the records held now. */
    @Override
    public Set<TopicPartition> partitions() {
        return held.values().stream().map(a -> a.lease.partition()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
    }

    /** 1 while paused: a share group has no partitions of its own to pause. */
    @Override
    public int pausedPartitions() {
        return paused ? 1 : 0;
    }

    @Override
    public int assignedPartitions() {
        return partitions().size();
    }

    @Override
    public int rebalanceCallbacks() {
        return 0;
    }

    int held() {
        return held.size();
    }

    @Override
    public void close() {
        QuietClose.close(consumer);
    }
}
