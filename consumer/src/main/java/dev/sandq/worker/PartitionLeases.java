package dev.sandq.worker;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** The {@link PartitionLease} of each partition this worker owns. Used by the poll thread only. */
final class PartitionLeases {
    private final Map<TopicPartition, PartitionLease> leases = new HashMap<>();

    PartitionLease begin(TopicPartition tp) {
        PartitionLease lease = new PartitionLease(tp);
        leases.put(tp, lease);
        return lease;
    }

    /** The partition's lease, or null when this worker does not own it. */
    PartitionLease get(TopicPartition tp) {
        return leases.get(tp);
    }

    boolean current(PartitionLease lease) {
        return leases.get(lease.partition()) == lease && lease.held();
    }

    /** The partitions went (revoked or lost): their leases end, so their queued jobs are not started. */
    void end(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionLease lease = leases.remove(tp);
            if (lease != null) {
                lease.end();
            }
        }
    }

    Set<TopicPartition> partitions() {
        return Set.copyOf(leases.keySet());
    }

    int size() {
        return leases.size();
    }
}
