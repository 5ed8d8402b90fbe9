package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Status;
import dev.sandq.testing.Fast;
import dev.sandq.wire.JobStage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The slot does not wait for its reply's acknowledgement: {@link ReplyPublisher#publishAsync}
 * returns at once and tells when the broker acknowledged; what takes more than one send (a retry,
 * a smaller form, a dead letter first) still happens, in order, off the producer's I/O thread.
 */
@Fast
class ReplyPublisherAsyncTest {
    private static final ProducerRecord<byte[], byte[]> REPLY = record("sandq.results", "reply");
    private static final ProducerRecord<byte[], byte[]> SHORTENED = record("sandq.results", "shortened");
    private static final ProducerRecord<byte[], byte[]> LETTER = record("sandq.jobs.dlt", "letter");

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ReplyPublisher publisher = new ReplyPublisher(producer, 3, Duration.ofMillis(1));

    private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, "id".getBytes(), value.getBytes());
    }

    private static Delivery reply() {
        return new Delivery(REPLY, List.of(SHORTENED, LETTER), "python3", Status.OK, JobTimeline.polledAt(1));
    }

    @AfterEach
    void close() {
        publisher.close();
    }

    /** Waits until the producer has been handed {@code sends} records (the slow path sends on its own thread). */
    private void awaitSends(int sends) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (producer.history().size() < sends) {
            assertTrue(System.nanoTime() < deadline, "sends " + producer.history().size() + " of " + sends);
            Thread.sleep(1);
        }
    }

    /** The broker refuses the pending send with {@code error}; waits for the publisher's next send. */
    private void refuseAndAwaitTheNextSend(RuntimeException error) throws InterruptedException {
        int sent = producer.history().size();
        assertTrue(producer.errorNext(error));
        awaitSends(sent + 1);
    }

    /** The broker acknowledges the pending send: what the publisher then says was acknowledged. */
    private Delivery acknowledgeThePendingSend(CompletableFuture<Delivery> acknowledged) throws Exception {
        assertTrue(producer.completeNext());
        return acknowledged.get(10, TimeUnit.SECONDS);
    }

    @Test
    void itReturnsBeforeTheBrokerAcknowledgesAndCompletesWhenItDoes() throws Exception {
        CompletableFuture<Delivery> acknowledged = publisher.publishAsync(reply());
        assertFalse(acknowledged.isDone(), "not acknowledged yet, and the caller was not held");
        assertEquals(List.of(REPLY), producer.history());
        Delivery done = acknowledgeThePendingSend(acknowledged);
        assertSame(REPLY, done.record());
        assertTrue(done.timeline().at(JobStage.ACKNOWLEDGED) >= done.timeline().at(JobStage.PRODUCED));
        assertTrue(done.timeline().at(JobStage.PRODUCED) > 0);
    }

    @Test
    void aSendThatFailsIsRetriedOffTheProducersThread() throws Exception {
        CompletableFuture<Delivery> acknowledged = publisher.publishAsync(reply());
        refuseAndAwaitTheNextSend(new NetworkException("broker gone"));
        assertFalse(acknowledged.isDone());
        assertSame(REPLY, acknowledgeThePendingSend(acknowledged).record());
        assertEquals(List.of(REPLY, REPLY), producer.history());
    }

    @Test
    void aReplyRefusedAsTooLargeIsReplacedByItsShortenedForm() throws Exception {
        CompletableFuture<Delivery> acknowledged = publisher.publishAsync(reply());
        refuseAndAwaitTheNextSend(new RecordTooLargeException("too large"));
        refuseAndAwaitTheNextSend(new RecordTooLargeException("still too large"));
        assertSame(SHORTENED, acknowledgeThePendingSend(acknowledged).record());
        assertEquals(List.of(REPLY, REPLY, SHORTENED), producer.history());
    }

    @Test
    void aJobAlsoDeadLetteredHasItsLetterAcknowledgedBeforeItsReplyIsSent() throws Exception {
        CompletableFuture<Delivery> acknowledged = publisher.publishAsync(reply().alsoDeadLettered(LETTER));
        awaitSends(1);
        assertEquals(List.of(LETTER), producer.history(), "the letter first, alone until acknowledged");
        assertTrue(producer.completeNext());
        awaitSends(2);
        assertSame(REPLY, acknowledgeThePendingSend(acknowledged).record());
        assertEquals(List.of(LETTER, REPLY), producer.history());
    }

    @Test
    void aReplyTheBrokerWillNeverTakeFailsTheFuture() throws Exception {
        CompletableFuture<Delivery> acknowledged = publisher.publishAsync(reply());
        refuseAndAwaitTheNextSend(new AuthorizationException("not allowed"));
        assertTrue(producer.errorNext(new AuthorizationException("still not allowed")));
        ExecutionException e = assertThrows(ExecutionException.class, () -> acknowledged.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ReplyPublisher.PublishFailedException.class, e.getCause());
    }
}
