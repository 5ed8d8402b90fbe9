package dev.sandq.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the poll loop takes job records from, as a delivery mode consumes them: a consumer
 * group's partitions ({@link GroupJobSource}), or a share group's records ({@link ShareJobSource}).
 * Owns its Kafka consumer; used by the poll thread only, but for {@link #wake}.
 */
interface JobSource extends AutoCloseable {

    /** Called before partitions are taken away from this worker, with them. */
    @FunctionalInterface
    interface BeforeRevocation {
        void commitCompleted(Collection<TopicPartition> partitions);
    }

    /** Starts consuming {@code topic}; {@code beforeRevocation} commits what is complete in partitions that go. */
    void subscribe(String topic, BeforeRevocation beforeRevocation);

    ConsumerRecords<byte[], byte[]> poll(Duration timeout);

    /**
     * A slot finished a job and queued its completion (any thread): a poll that waits for that
     * rather than for records (every partition paused; queue mode's lanes) returns now.
     */
    void wake();

    /**
     * The job to run for a record that poll() returned at {@code polledAt} (System.nanoTime()), or
     * empty when this worker does not own its partition (any more).
     */
    Optional<TakenJob> take(ConsumerRecord<byte[], byte[]> record, long polledAt);

    /** Whether jobs taken under {@code lease} are still this worker's to answer. */
    boolean owns(PartitionLease lease);

    /** The partitions this worker owns now. */
    Set<TopicPartition> partitions();

    /** Stop fetching more records (poll() goes on, so the worker stays in the group). */
    void pause();

    /**
     * {@link #pause()}, knowing that the worker takes no job before {@code resumesAt} (its sandbox
     * circuit is open until then).
     */
    default void pauseUntil(Instant resumesAt) {
        pause();
    }

    void resume();

    int pausedPartitions();

    int assignedPartitions();

    /** How many times the group's rebalance callbacks ran. */
    int rebalanceCallbacks();

    @Override
    void close();
}
