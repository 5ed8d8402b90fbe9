package dev.sandq.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        return consumer.poll(timeout);
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
