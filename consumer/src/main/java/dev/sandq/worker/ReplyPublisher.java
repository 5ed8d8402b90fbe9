package dev.sandq.worker;

import dev.sandq.wire.JobStage;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * At-least-once publishing: produces one delivery and returns once the broker has acknowledged
 * it (so its offset may be committed), retrying with exponential backoff (Resilience4j) and
 * falling back to the delivery's smaller forms when the broker refuses one as too large. A job
 * answered and dead-lettered both has its dead letter produced first.
 */
final class ReplyPublisher {
    /** The reply could not be produced; its offset must not be committed. */
    static final class PublishFailedException extends Exception {
        PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final Retry retry;

    ReplyPublisher(Producer<byte[], byte[]> producer, int attempts, Duration backoff) {
        this.producer = producer;
        this.retry = Retry.of("produce", RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(backoff, 2.0))
                .retryOnException(e -> !(e instanceof RecordTooLargeException
                        || e instanceof AuthorizationException || e instanceof AuthenticationException
                        || e instanceof InterruptedException))
                .build());
    }

    /**
     * @return what was acknowledged (the delivery itself or one of its fallbacks), its timeline
     *         with {@link JobStage#PRODUCED} (the first send) and {@link JobStage#ACKNOWLEDGED}
     */
    Delivery publish(Delivery delivery) throws PublishFailedException, InterruptedException {
        Delivery current = delivery;
        long produced = System.nanoTime();
        if (delivery.alsoDeadLetter() != null) {
            try {
                sendWithRetry(delivery.alsoDeadLetter());
            } catch (RecordTooLargeException e) {
                throw new PublishFailedException("the broker refused the dead letter as too large", e);
            }
        }
        while (true) {
            try {
                sendWithRetry(current.record());
                long acknowledged = System.nanoTime();
                return current.withTimeline(current.timeline().with(JobStage.PRODUCED, produced)
                        .with(JobStage.ACKNOWLEDGED, acknowledged));
            } catch (RecordTooLargeException e) {
                Delivery next = current.next();
                if (next == null) {
                    throw new PublishFailedException("the broker refused even the dead letter as too large", e);
                }
                current = next;
            }
        }
    }

    private RecordMetadata sendWithRetry(ProducerRecord<byte[], byte[]> record)
            throws InterruptedException, PublishFailedException {
        try {
            return Retry.decorateCheckedSupplier(retry, () -> sendAndWait(record)).get();
        } catch (RecordTooLargeException | InterruptedException e) {
            throw e;
        } catch (Throwable e) {
            throw new PublishFailedException("producing to " + record.topic() + " failed: " + e, e);
        }
    }

    private RecordMetadata sendAndWait(ProducerRecord<byte[], byte[]> record) throws Exception {
        try {
            return producer.send(record).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new KafkaException(e.getCause());
        }
    }
}
