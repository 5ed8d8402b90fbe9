package dev.sandq.worker;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/**
 * This worker's ownership of one partition from assignment to revocation. A job taken under a
 * lease that has ended is not started (another worker owns its partition now).
 */
final class PartitionLease {
    private final TopicPartition partition;
    private final AtomicBoolean held = new AtomicBoolean(true);
    private final AtomicLong startedEnd = new AtomicLong(-1);

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

    /** A slot is about to run the record at {@code offset} (any thread). */
    void started(long offset) {
        startedEnd.accumulateAndGet(offset + 1, Math::max);
    }

    /** One past the highest offset a slot started under this lease, or -1. */
    long startedEnd() {
        return startedEnd.get();
    }
}
