package dev.sandq.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One share consumer, on a thread of its own, holding at most one job record at a time.
 *
 * <p>Why one record per consumer: in explicit acknowledgement mode a share consumer polls again
 * only once every record of its last poll is acknowledged, and while one of them is renewed
 * (RENEW, for a job still running) its polls bring back that record and fetch no others (Kafka
 * 4.4's client). A consumer that held several jobs would take no new one until its longest job
 * ended. So a worker has one lane per place for a job (its slots and its prefetch), and a long job
 * holds back its own lane only.
 *
 * <p>The lane's cycle: fetch one record (a poll that also carries the acknowledgement of the one
 * before); hand it to the worker ({@link Listener#arrived}); renew its lock when half of it is
 * gone; once its job's answer comes ({@link #answer}), acknowledge it and fetch the next. Paused
 * (the circuit is open, the worker drains, or its slots and prefetch are full), an idle lane does
 * not fetch, and sends its last acknowledgement on its own after the acknowledgement interval;
 * paused for {@link #LEAVE_WHEN_PAUSED_FOR}, it leaves the share group until it is resumed: it
 * unsubscribes, or closes its consumer when the pause will outlast the acquisition lock (and opens
 * a new one when resumed). The consumer is touched by the lane's thread only (and woken by
 * {@link #close}); the poll thread talks to the lane through the synchronized methods.
 */
final class ShareLane implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ShareLane.class);
    /** How long an idle lane's poll waits for a record (the broker holds the fetch up to fetch.max.wait.ms). */
    static final Duration FETCH_TIMEOUT = Duration.ofMillis(500);
    /** How long one poll waits for a renewed record to come back. */
    private static final Duration RENEW_POLL_TIMEOUT = Duration.ofMillis(200);
    /** Longest time between two polls of a lane that holds a record: well inside max.poll.interval.ms. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(60);
    /** How long a stopping lane waits for the broker to confirm its last acknowledgement. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long an idle lane stays paused before it leaves the share group (until it is resumed).
     * The client goes on fetching in the background after a poll that returned nothing, and a
     * record it acquires then waits unseen in its buffer, its lock running, while the lane does
     * not poll (the circuit is open, the worker drains). Leaving stops those fetches. Unsubscribing
     * does not give back a record one of them acquired before: that stays with the lane's share
     * session until the lane is resumed (its next poll returns it, as the same delivery) or the lock
     * runs out (measured against Kafka 4.4: 29.5 s of a 30 s lock). Closing the consumer gives it
     * back at once (17 ms), and its next delivery counts one more. So a lane closes its consumer only
     * when it knows it will not be back before the lock would run out anyway (the sandbox circuit
     * is open for longer): then holding the record gains nothing and delays its job; otherwise it
     * unsubscribes (docs/operating.md, queue mode).
     */
    static final Duration LEAVE_WHEN_PAUSED_FOR = Duration.ofSeconds(1);
    /** Answered records timed until their acknowledgement is confirmed, at most (beyond: not timed). */
    private static final int MAX_UNCONFIRMED = 64;

    /** What the worker hears from a lane, on the lane's thread. */
    interface Listener {
        /** The lane acquired {@code record}; it holds it until its answer, a lost lock or the end. */
        void arrived(ShareLane lane, ConsumerRecord<byte[], byte[]> record);

        /** The lane no longer holds the record of {@code key}: acknowledged, or its lock lost. */
        void letGo(AcquiredRecord.Key key);

        /** The lane's consumer failed; the lane has stopped. */
        void failed(ShareLane lane, RuntimeException error);
    }

    private enum Step { FETCH, ACKNOWLEDGE, RENEW, SEND, LEAVE, STOP }

    private final String name;
    private final Supplier<ShareConsumer<byte[], byte[]>> consumers;
    /** The lane's consumer: a new one after each time the lane closed it to leave the group. */
    private volatile ShareConsumer<byte[], byte[]> consumer;
    private final QueueMetrics metrics;
    private final Clock clock;
    private final Duration acknowledgementInterval;
    private final Listener listener;
    private final Consumer<Duration> confirmed;

    // Guarded by this.
    private AcquiredRecord holding;
    private boolean paused;
    private Instant pausedAt;
    /** When the worker will resume this lane at the earliest (the sandbox circuit closes); null: not known. */
    private Instant resumesAt;
    private boolean settling;
    private boolean closing;
    private Thread thread;
    private String topic;

    // The lane's thread only.
    private final Map<AcquiredRecord.Key, Long> unconfirmed = new LinkedHashMap<>();
    private boolean unsentAcknowledgements;
    /** Subscribed to the topic: a member of the share group. */
    private boolean subscribed;
    /** The consumer was closed to leave the group: the next fetch opens a new one. */
    private boolean consumerClosed;
    /** The acquisition lock: as the group's config gave it, then as the broker's last fetch told. */
    private Duration lock;
    /** When the oldest acknowledgement not sent yet was made. */
    private Instant acknowledgedAt;
    private AcquiredRecord.Key renewing;
    private boolean renewalRefused;

    /**
     * @param consumers            opens the lane's share consumer: once here, and again each time the lane joins the
     *                             group after it closed its consumer to leave it
     * @param lockBeforeFirstFetch the acquisition lock as the group's config gave it, until a fetch tells the broker's
     * @param acknowledgementInterval how long a paused lane (which does not fetch) keeps an acknowledgement before it
     *                             sends it on its own: a fetch would carry it, if the lane is resumed meanwhile
     * @param confirmed            told, for each answered job whose acknowledgement the broker confirmed, the time from
     *                             its answer's acknowledgement to that confirmation
     */
    ShareLane(String name, Supplier<ShareConsumer<byte[], byte[]>> consumers, QueueMetrics metrics, Clock clock,
              Duration lockBeforeFirstFetch, Duration acknowledgementInterval, Listener listener,
              Consumer<Duration> confirmed) {
        this.acknowledgementInterval = acknowledgementInterval;
        this.name = name;
        this.consumers = consumers;
        this.metrics = metrics;
        this.clock = clock;
        this.lock = lockBeforeFirstFetch;
        this.listener = listener;
        this.confirmed = confirmed;
        this.consumer = open();
    }

    private ShareConsumer<byte[], byte[]> open() {
        ShareConsumer<byte[], byte[]> c = consumers.get();
        c.setAcknowledgementCommitCallback(this::acknowledgementsDone);
        return c;
    }

    String name() {
        return name;
    }

    /** Subscribes to {@code topic} and starts the lane's thread. */
    synchronized void start(String topic) {
        if (thread != null || closing) {
            throw new IllegalStateException("lane " + name + " already started or closed");
        }
        this.topic = topic;
        join();
        thread = new Thread(this, "sandq-share-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        try {
            for (Step step = nextStep(); step != Step.STOP; step = nextStep()) {
                switch (step) {
                    case FETCH -> fetch();
                    case ACKNOWLEDGE -> acknowledgeAnswer();
                    case RENEW -> renew();
                    case SEND -> send();
                    case LEAVE -> leave();
                    default -> throw new IllegalStateException("unexpected step " + step);
                }
            }
            if (isSettling()) {
                confirmLastAcknowledgements();
            }
        } catch (WakeupException e) {
            LOG.debug("lane {} woken to close", name);
        } catch (RuntimeException e) {
            LOG.error("share lane {} failed", name, e);
            listener.failed(this, e);
        } finally {
            // Records still held (a renewal not back, a job not answered when it closed) are
            // released by the broker when the consumer's share session ends.
            QuietClose.close(consumer);
        }
    }

    private synchronized Step nextStep() {
        Duration renewAfter = renewAfter();
        while (!closing) {
            if (holding != null) {
                if (holding.answer == null && settling) {
                    holding.answer = AcknowledgeType.RELEASE;
                }
                if (holding.answer != null) {
                    return Step.ACKNOWLEDGE;
                }
                long waitMillis = Duration.between(clock.instant(), holding.lockedAt.plus(renewAfter)).toMillis();
                if (waitMillis <= 0) {
                    return Step.RENEW;
                }
                if (!await(waitMillis)) {
                    return Step.STOP;
                }
            } else if (settling) {
                return Step.STOP;
            } else if (!paused) {
                return Step.FETCH;
            } else if (!subscribed) {
                // Left by unsubscribing (the pause's end was not known then); it is known now to
                // outlast the lock: what the session may hold goes back.
                if (!consumerClosed && outlastsLock()) {
                    return Step.LEAVE;
                }
                if (!await(0)) {
                    return Step.STOP;
                }
            } else {
                // Paused because the slots are full, the lane is resumed at the poll thread's
                // next turn and its fetch carries the acknowledgement: no request of its own.
                Instant now = clock.instant();
                Instant sendAt = unsentAcknowledgements ? acknowledgedAt.plus(acknowledgementInterval) : null;
                Instant leaveAt = pausedAt.plus(LEAVE_WHEN_PAUSED_FOR);
                if (sendAt != null && !now.isBefore(sendAt)) {
                    return Step.SEND;
                }
                if (!now.isBefore(leaveAt)) {
                    return Step.LEAVE;
                }
                Instant next = sendAt != null && sendAt.isBefore(leaveAt) ? sendAt : leaveAt;
                if (!await(Math.max(1, Duration.between(now, next).toMillis()))) {
                    return Step.STOP;
                }
            }
        }
        return Step.STOP;
    }

    /** Waits on this lane's monitor (0: until notified); false when interrupted, to stop. */
    private boolean await(long millis) {
        try {
            wait(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Half the acquisition lock (the broker's, once a fetch told it), and at most {@link #KEEP_ALIVE}. */
    private Duration renewAfter() {
        Duration half = lock.dividedBy(2);
        return half.compareTo(KEEP_ALIVE) < 0 ? half : KEEP_ALIVE;
    }

    /** One poll for one record; it carries the acknowledgement of the lane's last record, if any is unsent. */
    private void fetch() {
        if (!subscribed) {
            join();
        }
        ConsumerRecords<byte[], byte[]> polled = poll(FETCH_TIMEOUT);
        Iterator<ConsumerRecord<byte[], byte[]>> records = polled.iterator();
        if (!records.hasNext()) {
            return;
        }
        AcquiredRecord acquired = new AcquiredRecord(records.next(), clock.instant());
        records.forEachRemaining(this::releaseUnexpected);
        synchronized (this) {
            holding = acquired;
        }
        metrics.acquired(acquired.deliveries());
        listener.arrived(this, acquired.record);
    }

    /** Extends the held record's lock: RENEW, then polls until the record comes back (or its lock is lost). */
    private void renew() {
        AcquiredRecord a = held();
        AcquiredRecord.Key key = a.key();
        consumer.acknowledge(a.record, AcknowledgeType.RENEW);
        renewing = key;
        renewalRefused = false;
        Instant giveUpAt = clock.instant().plus(renewAfter());
        try {
            while (true) {
                ConsumerRecords<byte[], byte[]> polled = poll(RENEW_POLL_TIMEOUT);
                boolean back = false;
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    if (!back && AcquiredRecord.Key.of(r).equals(key)) {
                        synchronized (this) {
                            a.record = r;
                            a.lockedAt = clock.instant();
                        }
                        metrics.event(QueueMetrics.Event.RENEWED);
                        back = true;
                    } else {
                        releaseUnexpected(r);
                    }
                }
                if (back) {
                    return;
                }
                if (renewalRefused || !clock.instant().isBefore(giveUpAt) || isClosing()) {
                    if (!isClosing()) {
                        lockLost(a, renewalRefused ? "the broker refused its renewal" : "it did not come back from "
                                + "its renewal within " + renewAfter());
                    }
                    return;
                }
            }
        } finally {
            renewing = null;
        }
    }

    private void lockLost(AcquiredRecord a, String why) {
        synchronized (this) {
            holding = null;
        }
        a.lease.end();
        metrics.event(QueueMetrics.Event.LOCK_LOST);
        listener.letGo(a.key());
        LOG.warn("lane {}: the lock of {} is lost ({}); its job may be answered again elsewhere", name, a.key(), why);
    }

    /** A poll returned more than the one record asked for (max.poll.records is 1): that one goes back at once. */
    private void releaseUnexpected(ConsumerRecord<byte[], byte[]> r) {
        LOG.warn("lane {} got {} beyond the one record it asked for; released", name, AcquiredRecord.Key.of(r));
        consumer.acknowledge(r, AcknowledgeType.RELEASE);
        metrics.event(QueueMetrics.Event.RELEASED);
        acknowledgementMade();
    }

    /** An acknowledgement waits to be sent: the next fetch carries it, or {@link #send()} after the interval. */
    private void acknowledgementMade() {
        if (!unsentAcknowledgements) {
            unsentAcknowledgements = true;
            acknowledgedAt = clock.instant();
        }
    }

    /**
     * The held record's job ended: its acknowledgement, sent with the next fetch, or on its own
     * after the acknowledgement interval while the lane is paused.
     */
    private void acknowledgeAnswer() {
        AcquiredRecord a;
        synchronized (this) {
            a = holding;
            holding = null;
        }
        consumer.acknowledge(a.record, a.answer);
        a.lease.end();
        listener.letGo(a.key());
        if (a.answeredAt != 0 && unconfirmed.size() < MAX_UNCONFIRMED) {
            unconfirmed.put(a.key(), a.answeredAt);
        }
        metrics.event(switch (a.answer) {
            case ACCEPT -> QueueMetrics.Event.ACCEPTED;
            case REJECT -> QueueMetrics.Event.REJECTED;
            default -> QueueMetrics.Event.RELEASED;
        });
        acknowledgementMade();
    }

    private void send() {
        consumer.commitAsync();
        unsentAcknowledgements = false;
    }

    /** Subscribes to the topic (with a new consumer if the lane closed its last one): the lane is a member of the share group. */
    private void join() {
        if (consumerClosed) {
            consumer = open();
            consumerClosed = false;
        }
        consumer.subscribe(List.of(topic));
        subscribed = true;
    }

    /**
     * Paused and idle for {@link #LEAVE_WHEN_PAUSED_FOR}: sends what is unsent, then leaves the
     * group, so that the client fetches no more in the background; the next fetch joins again.
     * It closes its consumer, which gives back what a background fetch acquired unseen, when the
     * lane will not be resumed before the lock would run out; otherwise it unsubscribes, and such
     * a record waits for the lane's return (see {@link #LEAVE_WHEN_PAUSED_FOR}).
     */
    private void leave() {
        confirmLastAcknowledgements();
        if (outlastsLock()) {
            consumer.close();
            consumerClosed = true;
            LOG.debug("lane {} paused past its acquisition lock ({}): closed its consumer, out of the share group "
                    + "until it is resumed", name, lock);
        } else {
            consumer.unsubscribe();
            LOG.debug("lane {} paused: left the share group until it is resumed", name);
        }
        subscribed = false;
    }

    /** Whether the lane is known to stay paused for longer than an acquisition lock from now. */
    private synchronized boolean outlastsLock() {
        return resumesAt != null && !resumesAt.isBefore(clock.instant().plus(lock));
    }

    private void confirmLastAcknowledgements() {
        if (!unsentAcknowledgements) {
            return;
        }
        try {
            consumer.commitSync(SETTLE_TIMEOUT);
        } catch (KafkaException e) {
            LOG.warn("lane {}: the last acknowledgements were not confirmed: {}", name, e.toString());
        }
        unsentAcknowledgements = false;
    }

    private ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(timeout);
        unsentAcknowledgements = false;
        consumer.acquisitionLockTimeoutMs().ifPresent(ms -> lock = Duration.ofMillis(ms));
        return polled;
    }

    /** The broker's answer to acknowledgements (on the lane's thread, in a poll or commit). */
    private void acknowledgementsDone(Map<TopicIdPartition, Set<Long>> offsets, Exception error) {
        int count = offsets.values().stream().mapToInt(Set::size).sum();
        metrics.acknowledgements(count, error == null);
        long now = System.nanoTime();
        offsets.forEach((tip, set) -> set.forEach(offset -> {
            AcquiredRecord.Key key = new AcquiredRecord.Key(tip.topic(), tip.partition(), offset);
            Long answeredAt = unconfirmed.remove(key);
            if (answeredAt != null && error == null) {
                confirmed.accept(Duration.ofNanos(now - answeredAt));
            }
            if (error != null && key.equals(renewing)) {
                renewalRefused = true;
            }
        }));
        if (error != null) {
            LOG.warn("lane {}: the broker refused {} acknowledgement(s) ({}): {}", name, count, summary(offsets),
                    error.toString());
        }
    }

    private static String summary(Map<TopicIdPartition, Set<Long>> offsets) {
        return offsets.entrySet().stream().map(e -> e.getKey().topic() + "-" + e.getKey().partition() + "@"
                + e.getValue()).collect(Collectors.joining(", "));
    }

    private synchronized AcquiredRecord held() {
        return holding;
    }

    private synchronized boolean isSettling() {
        return settling;
    }

    private synchronized boolean isClosing() {
        return closing;
    }

    // The poll thread's side.

    /** The job of the record this lane holds, for a slot; empty when it holds another (or none). */
    synchronized Optional<TakenJob> take(ConsumerRecord<byte[], byte[]> record, long polledAt) {
        AcquiredRecord a = holding;
        if (a == null || a.taken || !a.key().equals(AcquiredRecord.Key.of(record)) || !a.lease.held()) {
            return Optional.empty();
        }
        a.taken = true;
        return Optional.of(new TakenJob(record, a.lease, a.deliveries(), JobTimeline.polledAt(polledAt)));
    }

    /**
     * The job taken under {@code lease} ended: its record gets {@code type}. Nothing when the lane
     * no longer holds it (its lock was lost).
     *
     * @param answeredAt when the job's answer was acknowledged by the broker (System.nanoTime()), or 0
     */
    synchronized void answer(PartitionLease lease, AcknowledgeType type, long answeredAt) {
        if (holding != null && holding.lease == lease && holding.answer == null) {
            holding.answer = type;
            holding.answeredAt = answeredAt;
            // The worker is done with the record now, not once this lane's thread has acknowledged it:
            // a job it deferred (RELEASE) must not be run again here while the broker delivers it again.
            lease.end();
            notifyAll();
        }
    }

    /** The worker did not take the record of {@code key} (it drains): it goes back. */
    synchronized void releaseIfNotTaken(AcquiredRecord.Key key) {
        if (holding != null && !holding.taken && holding.answer == null && holding.key().equals(key)) {
            holding.answer = AcknowledgeType.RELEASE;
            notifyAll();
        }
    }

    /** The worker takes no more jobs for a time it does not know (its slots are full, it drains). */
    synchronized void pause() {
        pauseUntil(null);
    }

    /**
     * The worker takes no more jobs until {@code resumesAt} at the earliest (its sandbox circuit is
     * open until then); null when it does not know.
     */
    synchronized void pauseUntil(Instant resumesAt) {
        if (!paused) {
            pausedAt = clock.instant();
        }
        paused = true;
        this.resumesAt = resumesAt;
        notifyAll();
    }

    synchronized void resume() {
        paused = false;
        resumesAt = null;
        notifyAll();
    }

    /** The worker stops: the lane releases what was not answered, sends its last acknowledgements and ends. */
    synchronized void settle() {
        settling = true;
        notifyAll();
    }

    /** Waits up to {@code timeout} for the lane's thread to end; whether it did. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.join(Math.max(1, timeout.toMillis()));
            return !t.isAlive();
        }
        return true;
    }

    /** Ends the lane now: its consumer closes (which gives back what it still holds). */
    void close() {
        Thread t;
        synchronized (this) {
            closing = true;
            notifyAll();
            t = thread;
        }
        if (t == null) {
            QuietClose.close(consumer);
            return;
        }
        try {
            consumer.wakeup();
        } catch (IllegalStateException e) {
            LOG.debug("lane {} had closed its consumer already: {}", name, e.toString());
        }
    }
}
