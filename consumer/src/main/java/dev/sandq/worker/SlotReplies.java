package dev.sandq.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How a job is answered from its slot thread in the modes that produce outside a transaction
 * (at-least-once, queue): the reply is produced and the broker's acknowledgement awaited
 * ({@link ReplyPublisher}, with its retries), then counted; the poll thread gets the completion.
 */
final class SlotReplies {
    private final ReplyPublisher publisher;
    private final WorkerMetrics metrics;
    private final Clock clock;

    SlotReplies(ReplyProducer producer, WorkerConfig config, WorkerMetrics metrics, Clock clock) {
        this.publisher = new ReplyPublisher(producer.producer(), config.produceAttempts(), config.produceBackoff());
        this.metrics = metrics;
        this.clock = clock;
    }

    Completion answer(TakenJob job, Delivery answer, Instant startedAt)
            throws ReplyPublisher.PublishFailedException, InterruptedException {
        Delivery acknowledged = publisher.publish(answer);
        metrics.answered(acknowledged, Duration.between(startedAt, clock.instant()));
        metrics.stages(acknowledged.timeline());
        return new Completion.Answered(job, acknowledged, startedAt);
    }
}
