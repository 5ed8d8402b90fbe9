package dev.sandq.worker;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * At-least-once: the jobs whose replies the broker acknowledged and whose offsets are not yet
 * known to be committed, so that the commit that covers a job can time its last stage, offset
 * committed (from the acknowledgement). Per job only its offset and the instant of the
 * acknowledgement are kept, and at most {@link #CAPACITY} per partition: jobs answered beyond
 * that while a long job holds the partition's commit back are not timed. A job is forgotten once
 * its commit is recorded, or when its partition goes. Poll thread only (commit callbacks run there).
 */
final class AwaitingCommit {
    static final int CAPACITY = 4096;

    /** One partition's jobs, in the order they were answered (not of their offsets). */
    private static final class Waits {
        private long[] offsets = new long[16];
        private long[] acknowledgedAt = new long[16];
        private int size;

        void add(long offset, long acknowledged) {
            if (size == offsets.length) {
                if (size == CAPACITY) {
                    return;
                }
                offsets = Arrays.copyOf(offsets, Math.min(CAPACITY, size * 2));
                acknowledgedAt = Arrays.copyOf(acknowledgedAt, offsets.length);
            }
            offsets[size] = offset;
            acknowledgedAt[size] = acknowledged;
            size++;
        }

        /** Times and forgets the jobs below {@code committed}, keeping the others in order. */
        void committed(long committed, long now, Consumer<Duration> record) {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (offsets[i] < committed) {
                    record.accept(Duration.ofNanos(Math.max(0, now - acknowledgedAt[i])));
                } else {
                    offsets[kept] = offsets[i];
                    acknowledgedAt[kept] = acknowledgedAt[i];
                    kept++;
                }
            }
            size = kept;
        }
    }

    private final Map<TopicPartition, Waits> partitions = new HashMap<>();

    /** The reply to the job at {@code offset} of {@code tp} was acknowledged at {@code acknowledgedAt} (System.nanoTime()). */
    void answered(TopicPartition tp, long offset, long acknowledgedAt) {
        partitions.computeIfAbsent(tp, k -> new Waits()).add(offset, acknowledgedAt);
    }

    /**
     * The commit of {@code offsets} succeeded at {@code now} (System.nanoTime()): each job below a
     * committed offset is handed to {@code record} with the time from its acknowledgement, and forgotten.
     */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets, long now, Consumer<Duration> record) {
        offsets.forEach((tp, om) -> {
            Waits waits = partitions.get(tp);
            if (waits != null) {
                waits.committed(om.offset(), now, record);
            }
        });
    }

    /** Forgets the jobs of partitions not {@code owned} any more: their commit will not be seen. */
    void retain(Collection<TopicPartition> owned) {
        partitions.keySet().retainAll(owned);
    }

    /** Jobs waiting (tests). */
    int size() {
        return partitions.values().stream().mapToInt(w -> w.size).sum();
    }
}
