package dev.sandq.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer group's rebalance callbacks. An assigned partition gets a lease, and its offsets
 * start from the group's last commit, whose {@link TakenMark} says which records an earlier owner
 * took. Before partitions are revoked, what is complete in them is committed; revoked or lost,
 * their leases end, so that jobs queued for them are not started. Runs inside poll(), on the poll
 * thread.
 */
final class RebalanceHandler implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(RebalanceHandler.class);
    private static final Duration READ_COMMITTED_TIMEOUT = Duration.ofSeconds(10);

    private final Consumer<byte[], byte[]> consumer;
    private final PartitionLeases leases;
    private final OffsetLedger ledger;
    private final JobSource.BeforeRevocation beforeRevocation;
    private final AtomicInteger callbacks;

    RebalanceHandler(Consumer<byte[], byte[]> consumer, PartitionLeases leases, OffsetLedger ledger,
                     JobSource.BeforeRevocation beforeRevocation, AtomicInteger callbacks) {
        this.consumer = consumer;
        this.leases = leases;
        this.ledger = ledger;
        this.beforeRevocation = beforeRevocation;
        this.callbacks = callbacks;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        callbacks.incrementAndGet();
        if (partitions.isEmpty()) {
            return;
        }
        beforeRevocation.commitCompleted(partitions);
        forget(partitions);
        LOG.info("partitions revoked: {}", partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        callbacks.incrementAndGet();
        forget(partitions);
        LOG.warn("partitions lost: {}", partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        callbacks.incrementAndGet();
        Map<TopicPartition, OffsetAndMetadata> previous = previousCommits(partitions);
        for (TopicPartition tp : partitions) {
            PartitionLease lease = leases.begin(tp);
            OffsetAndMetadata om = previous.get(tp);
            ledger.assigned(lease, om == null ? -1 : TakenMark.parse(om.metadata()).orElse(-1));
        }
        if (!partitions.isEmpty()) {
            LOG.info("partitions assigned: {}", partitions);
        }
    }

    /** The group's last commits, whose {@link TakenMark}s say which records an earlier owner took. */
    private Map<TopicPartition, OffsetAndMetadata> previousCommits(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> m = consumer.committed(new HashSet<>(partitions),
                    READ_COMMITTED_TIMEOUT);
            return m == null ? Map.of() : m;
        } catch (KafkaException e) {
            LOG.warn("cannot read the committed offsets of {}; redeliveries will say attempt 1: {}", partitions,
                    e.toString());
            return Map.of();
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        leases.end(partitions);
        ledger.forget(partitions);
    }
}
