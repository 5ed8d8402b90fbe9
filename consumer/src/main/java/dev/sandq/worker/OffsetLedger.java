package dev.sandq.worker;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** {@link PartitionOffsets} of every owned partition. Used by the poll thread only. */
final class OffsetLedger {
    private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();

    /** A partition was assigned; records below {@code previouslyTakenEnd} were started by its earlier owner (-1: none known). */
    void assigned(PartitionLease lease, long previouslyTakenEnd) {
        partitions.put(lease.partition(), new PartitionOffsets(previouslyTakenEnd, lease::startedEnd));
    }

    /** @return the record's attempt number: 2 when an earlier owner already started it, else 1 */
    int taken(TopicPartition tp, long offset) {
        PartitionOffsets p = partitions.computeIfAbsent(tp, k -> new PartitionOffsets());
        p.taken(offset);
        return p.firstAttempt(offset);
    }

    /** @return false when the partition is no longer tracked (revoked meanwhile) */
    boolean answered(TopicPartition tp, long offset) {
        PartitionOffsets p = partitions.get(tp);
        if (p == null) {
            return false;
        }
        p.answered(offset);
        return true;
    }

    void reopened(TopicPartition tp, long offset) {
        PartitionOffsets p = partitions.get(tp);
        if (p != null) {
            p.reopened(offset);
        }
    }

    /** What may be committed now, for every partition whose committable offset moved. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        return committable(partitions.keySet());
    }

    Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> among) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : among) {
            PartitionOffsets p = partitions.get(tp);
            if (p != null) {
                p.committable().ifPresent(o -> out.put(tp, new OffsetAndMetadata(o, TakenMark.format(p.takenEnd()))));
            }
        }
        return out;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, om) -> {
            PartitionOffsets p = partitions.get(tp);
            if (p != null) {
                p.committed(om.offset(), TakenMark.parse(om.metadata()).orElse(-1));
            }
        });
    }

    /** An asynchronous commit failed: commit these partitions again on the next round. */
    void commitFailed(Collection<TopicPartition> among) {
        among.forEach(tp -> {
            PartitionOffsets p = partitions.get(tp);
            if (p != null) {
                p.commitFailed();
            }
        });
    }

    void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }
}
