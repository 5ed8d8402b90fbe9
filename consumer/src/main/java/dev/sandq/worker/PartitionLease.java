package dev.sandq.worker;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;

/**
 * This worker's ownership of one partition from assignment to revocation. A job taken under a
 * lease that has ended is not started (another worker owns its partition now).
 */
final class PartitionLease {
    private final TopicPartition partition;
    private final AtomicBoolean held = new AtomicBoolean(true);

    PartitionLease(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    boolean held() {
        return held.get();
    }

    void end() {
        held.set(false);
    }
}
