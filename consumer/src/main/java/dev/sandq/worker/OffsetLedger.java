package dev.sandq.worker;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** {@link PartitionOffsets} of every owned partition. Used by the poll thread only. */
final class OffsetLedger {
    private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();

    void taken(TopicPartition tp, long offset) {
        partitions.computeIfAbsent(tp, k -> new PartitionOffsets()).taken(offset);
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
                p.committable().ifPresent(o -> out.put(tp, new OffsetAndMetadata(o)));
            }
        }
        return out;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, om) -> {
            PartitionOffsets p = partitions.get(tp);
            if (p != null) {
                p.committed(om.offset());
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
