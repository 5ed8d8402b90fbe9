package dev.sandq.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * How a job is answered in the modes that produce outside a transaction (at-least-once, queue):
 * the slot sends the reply and goes on to its next job; once the broker has acknowledged it
 * ({@link ReplyPublisher}, with its retries), it is counted and the poll thread gets the completion.
 */
final class SlotReplies implements AutoCloseable {
    private final ReplyPublisher publisher;
    private final WorkerMetrics metrics;
    private final Clock clock;

    SlotReplies(ReplyProducer producer, WorkerConfig config, WorkerMetrics metrics, Clock clock) {
        this.publisher = new ReplyPublisher(producer.producer(), config.produceAttempts(), config.produceBackoff());
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Completes once the broker has acknowledged the answer (exceptionally when it cannot be produced). */
    CompletableFuture<Completion> answer(TakenJob job, Delivery answer, Instant startedAt) {
        return publisher.publishAsync(answer).thenApply(acknowledged -> {
            metrics.answered(acknowledged, Duration.between(startedAt, clock.instant()));
            metrics.stages(acknowledged.timeline());
            return new Completion.Answered(job, acknowledged, startedAt);
        });
    }

    @Override
    public void close() {
        publisher.close();
    }
}
