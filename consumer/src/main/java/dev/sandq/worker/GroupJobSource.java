package dev.sandq.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Job records from the partitions a consumer group assigns this worker (a classic
 * {@link KafkaConsumer}, cooperative rebalancing, read_committed). A record is taken under its
 * partition's lease and recorded in the {@link OffsetLedger}, which says which attempt it is.
 * The delivery modes that commit offsets (at-least-once, exactly-once) commit through
 * {@link #consumer()}.
 */
final class GroupJobSource implements JobSource {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaClientMetrics consumerMetrics;
    private final OffsetLedger ledger;
    private final PartitionLeases leases = new PartitionLeases();
    private final AtomicInteger rebalanceCallbacks = new AtomicInteger();
    /** Released by a slot that finished a job: a paused poll thread stops waiting. */
    private final Semaphore wakes = new Semaphore(0);

    private GroupJobSource(KafkaConsumer<byte[], byte[]> consumer, KafkaClientMetrics consumerMetrics,
                           OffsetLedger ledger) {
        this.consumer = consumer;
        this.consumerMetrics = consumerMetrics;
        this.ledger = ledger;
    }

    /** Creates the consumer (not yet subscribed) and binds its client metrics to {@code registry}. */
    static GroupJobSource open(WorkerConfig config, OffsetLedger ledger, MeterRegistry registry) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClientProperties.consumer(config));
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        return new GroupJobSource(consumer, metrics, ledger);
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        return consumer;
    }

    @Override
    public void subscribe(String topic, BeforeRevocation beforeRevocation) {
        consumer.subscribe(List.of(topic),
                new RebalanceHandler(consumer, leases, ledger, beforeRevocation, rebalanceCallbacks));
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        ConsumerRecords<byte[], byte[]> polled;
        if (!fetchingNothing()) {
            polled = consumer.poll(timeout);
        } else {
            // Every partition paused (the slots and prefetch are full, the circuit is open): a poll
            // would fetch nothing and return only after the timeout, so a slot that frees would wait
            // for it before the partitions resume. A poll that returns at once keeps the consumer in
            // its group; then the wait ends with the timeout or the first job that finishes.
            polled = consumer.poll(Duration.ZERO);
            if (polled.isEmpty()) {
                try {
                    wakes.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        // A wake's completion was queued before it: the poll loop collects it after this poll, so
        // the wakes left now are spent (and do not pile up while the partitions are not paused).
        wakes.drainPermits();
        return polled;
    }

    private boolean fetchingNothing() {
        Set<TopicPartition> assigned = consumer.assignment();
        return !assigned.isEmpty() && consumer.paused().containsAll(assigned);
    }

    @Override
    public void wake() {
        wakes.release();
    }

    @Override
    public Optional<TakenJob> take(ConsumerRecord<byte[], byte[]> record, long polledAt) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionLease lease = leases.get(tp);
        if (lease == null) {
            return Optional.empty();
        }
        return Optional.of(new TakenJob(record, lease, ledger.taken(tp, record.offset()),
                JobTimeline.polledAt(polledAt)));
    }

    @Override
    public boolean owns(PartitionLease lease) {
        return leases.current(lease);
    }

    @Override
    public Set<TopicPartition> partitions() {
        return leases.partitions();
    }

    @Override
    public void pause() {
        consumer.pause(consumer.assignment());
    }

    @Override
    public void resume() {
        if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    @Override
    public int pausedPartitions() {
        return consumer.paused().size();
    }

    @Override
    public int assignedPartitions() {
        return leases.size();
    }

    @Override
    public int rebalanceCallbacks() {
        return rebalanceCallbacks.get();
    }

    @Override
    public void close() {
        QuietClose.close(consumer);
        QuietClose.close(consumerMetrics);
    }
}
