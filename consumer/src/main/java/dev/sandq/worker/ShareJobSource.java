package dev.sandq.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job records from a share group (KIP-932), through one {@link ShareLane} per place for a job
 * (the worker's slots and prefetch): each lane a share consumer in explicit acknowledgement mode
 * that holds one record at a time, so that a long job holds back its own lane only. The lanes hand
 * their records to the poll thread here; the poll thread hands each job's acknowledgement back to
 * its lane ({@link #acknowledge}): ACCEPT, RELEASE or REJECT when its job ends, while the lane
 * renews the record's lock as the job runs or waits for a slot.
 */
final class ShareJobSource implements JobSource, ShareLane.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ShareJobSource.class);
    /** How long a stopping worker waits for its lanes to give their records their last acknowledgement. */
    static final Duration SETTLE_TIMEOUT = ShareLane.SETTLE_TIMEOUT.plus(ShareLane.FETCH_TIMEOUT).plusSeconds(1);
    private static final Object WAKE = new Object();

    private final List<ShareLane> lanes;
    /** Records the lanes acquired, and {@link #WAKE}s: what the poll thread waits for. */
    private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    /** Each record held now, by the lane that holds it. */
    private final Map<AcquiredRecord.Key, ShareLane> held = new ConcurrentHashMap<>();
    /** The records the last poll returned (poll thread). */
    private List<ConsumerRecord<byte[], byte[]>> handedOut = List.of();
    private volatile RuntimeException laneFailure;
    private volatile String failedLane;
    private boolean paused;
    /** While paused: when the worker resumes at the earliest, or null when not known. */
    private Instant pausedUntil;

    /**
     * @param lanes     how many lanes (share consumers)
     * @param consumers the share consumer of lane i
     * @param lock      the acquisition lock as the group's config gave it, until a fetch tells the broker's
     * @param acknowledgementInterval how long a paused lane keeps an acknowledgement before it sends it on its own
     * @param confirmed told, for each answered job whose acknowledgement the broker confirmed, the time
     *                  from its answer's acknowledgement to that confirmation (the job's last stage,
     *                  {@link dev.sandq.wire.JobStage#COMMITTED})
     */
    ShareJobSource(int lanes, IntFunction<ShareConsumer<byte[], byte[]>> consumers, QueueMetrics metrics, Clock clock,
                   Duration lock, Duration acknowledgementInterval, Consumer<Duration> confirmed) {
        List<ShareLane> made = new ArrayList<>();
        try {
            for (int i = 0; i < lanes; i++) {
                int lane = i;
                made.add(new ShareLane("lane-" + i, () -> consumers.apply(lane), metrics, clock, lock,
                        acknowledgementInterval, this, confirmed));
            }
        } catch (RuntimeException e) {
            made.forEach(ShareLane::close);
            throw e;
        }
        this.lanes = List.copyOf(made);
        metrics.held(held::size);
        metrics.lanes(lanes);
    }

    /** One lane per slot and per prefetched job. */
    static ShareJobSource open(WorkerConfig config, QueueMetrics metrics, Clock clock, Duration lock,
                               Consumer<Duration> confirmed) {
        return new ShareJobSource(config.slots() + config.prefetch(),
                lane -> new KafkaShareConsumer<>(KafkaClientProperties.shareConsumer(config, lane)), metrics, clock,
                lock, config.commitInterval(), confirmed);
    }

    @Override
    public void subscribe(String topic, BeforeRevocation beforeRevocation) {
        // A share group moves no partitions between members: nothing is ever revoked.
        lanes.forEach(lane -> lane.start(topic));
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        throwIfALaneFailed();
        for (ConsumerRecord<byte[], byte[]> r : handedOut) {
            AcquiredRecord.Key key = AcquiredRecord.Key.of(r);
            ShareLane lane = held.get(key);
            if (lane != null) {
                lane.releaseIfNotTaken(key);
            }
        }
        List<Object> got = new ArrayList<>();
        try {
            Object first = arrivals.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (first != null) {
                got.add(first);
                arrivals.drainTo(got);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Object o : got) {
            if (o instanceof ConsumerRecord<?, ?> any) {
                @SuppressWarnings("unchecked")
                ConsumerRecord<byte[], byte[]> r = (ConsumerRecord<byte[], byte[]>) any;
                records.add(r);
                byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                        .add(r);
            }
        }
        handedOut = records;
        throwIfALaneFailed();
        return records.isEmpty() ? ConsumerRecords.empty() : new ConsumerRecords<>(byPartition, Map.of());
    }

    private void throwIfALaneFailed() {
        RuntimeException e = laneFailure;
        if (e != null) {
            throw new KafkaException("share consumer " + failedLane + " of this worker failed: " + e, e);
        }
    }

    @Override
    public Optional<TakenJob> take(ConsumerRecord<byte[], byte[]> record, long polledAt) {
        ShareLane lane = held.get(AcquiredRecord.Key.of(record));
        return lane == null ? Optional.empty() : lane.take(record, polledAt);
    }

    /**
     * The job of {@code job} ended: its lane gives its record {@code type}. Nothing when the
     * record's lock was lost meanwhile.
     *
     * @param answeredAt when the job's answer was acknowledged by the broker (System.nanoTime()), or 0
     */
    void acknowledge(TakenJob job, AcknowledgeType type, long answeredAt) {
        ShareLane lane = held.get(AcquiredRecord.Key.of(job.record()));
        if (lane != null) {
            lane.answer(job.lease(), type, answeredAt);
        }
    }

    @Override
    public void wake() {
        arrivals.offer(WAKE);
    }

    /**
     * The worker stops, its slots idle: every lane gives its record its answer's acknowledgement
     * (RELEASE when not answered) and waits for the broker to confirm it; what a lane still holds
     * after {@link #SETTLE_TIMEOUT} is given back when {@link #close()} closes its consumer.
     */
    void settleAll() {
        lanes.forEach(ShareLane::settle);
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        try {
            for (ShareLane lane : lanes) {
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                if (!lane.awaitEnd(left)) {
                    LOG.warn("share {} did not settle within {}; its consumer is closed", lane.name(), SETTLE_TIMEOUT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ShareLane.Listener, on the lanes' threads.

    @Override
    public void arrived(ShareLane lane, ConsumerRecord<byte[], byte[]> record) {
        held.put(AcquiredRecord.Key.of(record), lane);
        arrivals.offer(record);
    }

    @Override
    public void letGo(AcquiredRecord.Key key) {
        held.remove(key);
    }

    @Override
    public void failed(ShareLane lane, RuntimeException error) {
        failedLane = lane.name();
        laneFailure = error;
        arrivals.offer(WAKE);
    }

    @Override
    public boolean owns(PartitionLease lease) {
        return lease.held();
    }

    /** The partitions of the records held now. */
    @Override
    public Set<TopicPartition> partitions() {
        return held.keySet().stream().map(k -> new TopicPartition(k.topic(), k.partition()))
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void pause() {
        pauseLanes(null);
    }

    /** The lanes learn when the worker resumes: one paused past its acquisition lock gives back what it holds unseen. */
    @Override
    public void pauseUntil(Instant resumesAt) {
        pauseLanes(resumesAt);
    }

    private void pauseLanes(Instant resumesAt) {
        if (paused && Objects.equals(pausedUntil, resumesAt)) {
            return;
        }
        paused = true;
        pausedUntil = resumesAt;
        lanes.forEach(lane -> lane.pauseUntil(resumesAt));
    }

    @Override
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        pausedUntil = null;
        lanes.forEach(ShareLane::resume);
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

    @Override
    public void close() {
        lanes.forEach(ShareLane::close);
        try {
            for (ShareLane lane : lanes) {
                if (!lane.awaitEnd(ShareLane.SETTLE_TIMEOUT)) {
                    LOG.warn("share {} did not end within {}", lane.name(), ShareLane.SETTLE_TIMEOUT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
