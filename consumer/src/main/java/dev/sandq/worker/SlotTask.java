package dev.sandq.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One job record on a slot thread: process it, answer it, and hand a {@link Completion} back to the poll thread. */
final class SlotTask implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotTask.class);

    private final ConsumerRecord<byte[], byte[]> record;
    private final PartitionLease lease;
    private final int attempt;
    private final JobProcessor processor;
    private final ReplyPublisher publisher; // null in exactly-once mode
    private final Queue<Completion> completions;
    private final BooleanSupplier stopping;
    private final WorkerMetrics metrics;
    private final Clock clock;

    SlotTask(ConsumerRecord<byte[], byte[]> record, PartitionLease lease, int attempt, JobProcessor processor,
             ReplyPublisher publisher, Queue<Completion> completions, BooleanSupplier stopping,
             WorkerMetrics metrics, Clock clock) {
        this.record = record;
        this.lease = lease;
        this.attempt = attempt;
        this.processor = processor;
        this.publisher = publisher;
        this.completions = completions;
        this.stopping = stopping;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void run() {
        if (!lease.held() || stopping.getAsBoolean()) {
            completions.add(new Completion.Abandoned(lease, record));
            return;
        }
        lease.started(record.offset());
        Instant start = clock.instant();
        if (attempt == 1 && record.timestamp() > 0) {
            metrics.queueWait(Duration.ofMillis(Math.max(0, start.toEpochMilli() - record.timestamp())));
        }
        try {
            ProcessOutcome outcome = processor.process(record, attempt);
            if (outcome instanceof ProcessOutcome.TryAgain again) {
                LOG.debug("job {}-{}@{} will be tried again: {}", record.topic(), record.partition(), record.offset(),
                        again.reason());
                completions.add(new Completion.Deferred(lease, record, again.countsAsAttempt() ? attempt + 1 : attempt));
                return;
            }
            Delivery delivery = ((ProcessOutcome.Answer) outcome).delivery();
            if (publisher == null) {
                completions.add(new Completion.ToSend(lease, record, delivery, start));
                return;
            }
            Delivery acknowledged = publisher.publish(delivery);
            metrics.answered(acknowledged, Duration.between(start, clock.instant()));
            completions.add(new Completion.Answered(lease, record, acknowledged));
        } catch (InterruptedException e) {
            completions.add(new Completion.Abandoned(lease, record));
            Thread.currentThread().interrupt();
        } catch (ReplyPublisher.PublishFailedException | RuntimeException e) {
            LOG.error("job {}-{}@{} could not be answered", record.topic(), record.partition(), record.offset(), e);
            completions.add(new Completion.Failed(lease, record, e));
        }
    }
}
