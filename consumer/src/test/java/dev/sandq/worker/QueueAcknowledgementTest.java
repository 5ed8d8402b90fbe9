package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.executor.Status;
import dev.sandq.testing.Fast;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Queue mode: how the record of a job that ended is acknowledged. */
@Fast
class QueueAcknowledgementTest {
    private static final TakenJob JOB = new TakenJob(new ConsumerRecord<>("jobs", 0, 7, new byte[0], new byte[0]),
            new PartitionLease(new TopicPartition("jobs", 0)), 1, JobTimeline.polledAt(1));
    private static final ProducerRecord<byte[], byte[]> REPLY = new ProducerRecord<>("results", new byte[0]);
    private static final ProducerRecord<byte[], byte[]> LETTER = new ProducerRecord<>("jobs.dlt", new byte[0]);

    private static AcknowledgeType answered(Delivery d) {
        return QueueDelivery.acknowledgement(new Completion.Answered(JOB, d, Instant.EPOCH));
    }

    private static Delivery reply(Status status) {
        return new Delivery(REPLY, List.of(), "python3", status, JobTimeline.polledAt(1));
    }

    @Test
    void anAnsweredJobIsAcceptedWhateverItsCodeDid() {
        assertEquals(AcknowledgeType.ACCEPT, answered(reply(Status.OK)));
        assertEquals(AcknowledgeType.ACCEPT, answered(reply(Status.TIMEOUT)));
        assertEquals(AcknowledgeType.ACCEPT, answered(reply(Status.EXPIRED)));
        assertEquals(AcknowledgeType.ACCEPT, answered(reply(Status.INTERNAL_ERROR)));
    }

    @Test
    void aJobThatCanNeverRunIsRejected() {
        assertEquals(AcknowledgeType.REJECT, answered(reply(Status.REJECTED)), "an invalid job, answered rejected");
        assertEquals(AcknowledgeType.REJECT, answered(new Delivery(LETTER, List.of(), "unknown", null,
                JobTimeline.polledAt(1))), "an unroutable job, dead-lettered");
        assertEquals(AcknowledgeType.REJECT, answered(reply(Status.INTERNAL_ERROR).alsoDeadLettered(LETTER)),
                "a poison job, answered and dead-lettered");
    }

    @Test
    void aJobNotAnsweredIsReleased() {
        assertEquals(AcknowledgeType.RELEASE, QueueDelivery.acknowledgement(new Completion.Abandoned(JOB)));
        assertEquals(AcknowledgeType.RELEASE, QueueDelivery.acknowledgement(new Completion.Deferred(JOB)));
        assertEquals(AcknowledgeType.RELEASE, QueueDelivery.acknowledgement(
                new Completion.Failed(JOB, new IllegalStateException("produce failed"))));
    }
}
