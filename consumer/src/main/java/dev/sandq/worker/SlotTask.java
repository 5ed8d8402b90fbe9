package dev.sandq.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job on a slot thread: process it, have the delivery mode deliver its answer, and hand a
 * {@link Completion} back to the poll thread (once the answer is delivered, from whichever thread
 * delivered it: the slot does not wait).
 */
final class SlotTask implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotTask.class);

    private final TakenJob job;
    private final JobProcessor processor;
    private final DeliveryStrategy delivery;
    private final Consumer<Completion> completions;
    private final BooleanSupplier stopping;
    private final WorkerMetrics metrics;
    private final Clock clock;

    SlotTask(TakenJob job, JobProcessor processor, DeliveryStrategy delivery, Consumer<Completion> completions,
             BooleanSupplier stopping, WorkerMetrics metrics, Clock clock) {
        this.job = job;
        this.processor = processor;
        this.delivery = delivery;
        this.completions = completions;
        this.stopping = stopping;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void run() {
        ConsumerRecord<byte[], byte[]> record = job.record();
        if (!job.lease().held() || stopping.getAsBoolean()) {
            completions.accept(new Completion.Abandoned(job));
            return;
        }
        job.lease().started(record.offset());
        Instant start = clock.instant();
        if (job.attempt() == 1 && record.timestamp() > 0) {
            metrics.queueWait(Duration.ofMillis(Math.max(0, start.toEpochMilli() - record.timestamp())));
        }
        try {
            ProcessOutcome outcome = processor.process(record, job.attempt(), job.timeline());
            if (outcome instanceof ProcessOutcome.TryAgain again) {
                LOG.debug("job {}-{}@{} will be tried again: {}", record.topic(), record.partition(), record.offset(),
                        again.reason());
                completions.accept(new Completion.Deferred(
                        again.countsAsAttempt() ? job.withAttempt(job.attempt() + 1) : job));
                return;
            }
            Delivery answer = ((ProcessOutcome.Answer) outcome).delivery();
            // The slot is free once the answer is sent: its acknowledgement comes on another thread.
            delivery.deliver(job, answer, start).whenComplete((completion, error) -> {
                if (error == null) {
                    completions.accept(completion);
                } else {
                    notAnswered(error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
                }
            });
        } catch (InterruptedException e) {
            completions.accept(new Completion.Abandoned(job));
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            notAnswered(e);
        }
    }

    private void notAnswered(Throwable error) {
        if (error instanceof InterruptedException) {
            completions.accept(new Completion.Abandoned(job));
            return;
        }
        ConsumerRecord<byte[], byte[]> record = job.record();
        LOG.error("job {}-{}@{} could not be answered", record.topic(), record.partition(), record.offset(), error);
        completions.accept(new Completion.Failed(job,
                error instanceof Exception e ? e : new IllegalStateException("answering failed", error)));
    }
}
