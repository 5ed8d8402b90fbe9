package dev.sandq.worker;

import dev.sandq.wire.JobStage;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * At-least-once publishing: produces one delivery and tells once the broker has acknowledged
 * it (so its offset may be committed), retrying with exponential backoff (Resilience4j) and
 * falling back to the delivery's smaller forms when the broker refuses one as too large. A job
 * answered and dead-lettered both has its dead letter produced first.
 *
 * <p>{@link #publishAsync} does not hold the slot while the broker acknowledges: a slot waiting
 * for its acknowledgement (3 to 5 ms under load, a third of a short job's time in its slot) did
 * not start the next job meanwhile. Its first send leaves at once; when the delivery needs more (a
 * dead letter first, a retry, a smaller form), the rest runs on a thread of its own
 * ({@link #publish}, blocking), never on the producer's I/O thread.
 */
final class ReplyPublisher implements AutoCloseable {
    /** The reply could not be produced; its offset must not be committed. */
    static final class PublishFailedException extends Exception {
        PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final Retry retry;
    /** Runs the deliveries that need more than one send, each one to its end. */
    private final ExecutorService slowPath = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandq-reply-retries");
        t.setDaemon(true);
        return t;
    });

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
     * Produces {@code delivery} without waiting for the broker.
     *
     * @return completes, on the producer's I/O thread or the slow path's, as {@link #publish}
     *         returns (or exceptionally with what it throws)
     */
    CompletableFuture<Delivery> publishAsync(Delivery delivery) {
        long produced = System.nanoTime();
        CompletableFuture<Delivery> acknowledged = new CompletableFuture<>();
        if (delivery.alsoDeadLetter() != null) {
            publishOnSlowPath(delivery, produced, acknowledged);
            return acknowledged;
        }
        try {
            producer.send(delivery.record(), (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(acknowledgedNow(delivery, produced));
                } else {
                    // Again from the start, with its retries or its smaller forms: the first send counts as none.
                    publishOnSlowPath(delivery, produced, acknowledged);
                }
            });
        } catch (RuntimeException e) {
            publishOnSlowPath(delivery, produced, acknowledged);
        }
        return acknowledged;
    }

    private void publishOnSlowPath(Delivery delivery, long produced, CompletableFuture<Delivery> acknowledged) {
        try {
            slowPath.execute(() -> {
                try {
                    acknowledged.complete(publish(delivery, produced));
                } catch (PublishFailedException | RuntimeException e) {
                    acknowledged.completeExceptionally(e);
                } catch (InterruptedException e) {
                    acknowledged.completeExceptionally(e);
                    Thread.currentThread().interrupt();
                }
            });
        } catch (RejectedExecutionException e) {
            acknowledged.completeExceptionally(new PublishFailedException("the worker is closing its producer", e));
        }
    }

    /**
     * @return what was acknowledged (the delivery itself or one of its fallbacks), its timeline
     *         with {@link JobStage#PRODUCED} (the first send) and {@link JobStage#ACKNOWLEDGED}
     */
    Delivery publish(Delivery delivery) throws PublishFailedException, InterruptedException {
        return publish(delivery, System.nanoTime());
    }

    private Delivery publish(Delivery delivery, long produced) throws PublishFailedException, InterruptedException {
        Delivery current = delivery;
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
                return acknowledgedNow(current, produced);
            } catch (RecordTooLargeException e) {
                Delivery next = current.next();
                if (next == null) {
                    throw new PublishFailedException("the broker refused even the dead letter as too large", e);
                }
                current = next;
            }
        }
    }

    /** {@code delivery}, acknowledged just now, first sent at {@code produced}. */
    private static Delivery acknowledgedNow(Delivery delivery, long produced) {
        return delivery.withTimeline(delivery.timeline().with(JobStage.PRODUCED, produced)
                .with(JobStage.ACKNOWLEDGED, System.nanoTime()));
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

    /** Stops the slow path; a delivery still on it is not acknowledged (its offset stays uncommitted). */
    @Override
    public void close() {
        slowPath.shutdownNow();
    }
}
