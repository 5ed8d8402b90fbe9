package dev.sandq.worker;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * One {@link DeliveryMode}, everything about it that differs from the others: where job records
 * come from ({@link #jobs()}), the Kafka clients and how they are set up, how a finished job's
 * answer is delivered, and how progress is made durable. Chosen once, at start, by
 * {@link #open}; the poll loop, the slots and flow control are the same in every mode.
 *
 * <p>{@link #deliver} runs on the slot threads, which also wake the poll thread through
 * {@link #jobs()} ({@link JobSource#wake}); every other method on the poll thread.
 */
interface DeliveryStrategy extends AutoCloseable {

    /**
     * Creates the mode's clients (and, exactly-once, initialises its transactions).
     *
     * @param shareGroup queue mode: its share group's settings
     */
    static DeliveryStrategy open(WorkerConfig config, WorkerMetrics metrics, Clock clock,
                                 ShareGroupSettings shareGroup) {
        return switch (config.deliveryMode()) {
            case AT_LEAST_ONCE -> AtLeastOnceDelivery.open(config, metrics, clock);
            case EXACTLY_ONCE -> ExactlyOnceDelivery.open(config, metrics, clock);
            case QUEUE -> QueueDelivery.open(config, metrics, clock, shareGroup);
        };
    }

    /** Where this mode takes job records from. */
    JobSource jobs();

    /**
     * Slot thread: {@code answer} answers the job; starts the slot's part of delivering it, which
     * may end later, on another thread, while the slot runs its next job.
     *
     * @param startedAt when the slot took the job
     * @return completes with what the poll thread is told about the job; exceptionally with
     *         {@link ReplyPublisher.PublishFailedException} when the answer could not be produced
     *         (the worker must stop)
     */
    CompletableFuture<Completion> deliver(TakenJob job, Delivery answer, Instant startedAt);

    /** A slot finished a job whose lease this worker still holds (queue mode: whose record's lock it holds). */
    void completed(Completion completion);

    /** Once per turn of the poll loop: makes durable what is complete, when it is due. */
    void commitProgress() throws DeliveryFailedException;

    /**
     * Makes durable, now, what is complete in {@code partitions}: the worker is stopping (all its
     * partitions) or they are being revoked. Failures are thrown ({@link org.apache.kafka.common.KafkaException}).
     */
    void commitNow(Collection<TopicPartition> partitions) throws DeliveryFailedException;

    /** Closes the mode's clients. */
    @Override
    void close();
}
