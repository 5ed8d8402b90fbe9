package dev.sandq.worker;

import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What a slot hands back to the poll thread about one job record. */
sealed interface Completion {
    PartitionLease lease();

    ConsumerRecord<byte[], byte[]> record();

    /** At-least-once: the answer is acknowledged by the broker; the offset may be committed. */
    record Answered(PartitionLease lease, ConsumerRecord<byte[], byte[]> record, Delivery delivery) implements Completion {
    }

    /**
     * Exactly-once: the answer is to be produced in the poll thread's next transaction.
     *
     * @param startedAt when the slot took the job (the duration metric ends at the transaction's commit)
     */
    record ToSend(PartitionLease lease, ConsumerRecord<byte[], byte[]> record, Delivery delivery, Instant startedAt)
            implements Completion {
    }

    /** Run it again when the sandbox admits jobs. */
    record Deferred(PartitionLease lease, ConsumerRecord<byte[], byte[]> record, int attempt) implements Completion {
    }

    /** Not run or not answered (lease ended, stopping, interrupted): its offset stays uncommitted. */
    record Abandoned(PartitionLease lease, ConsumerRecord<byte[], byte[]> record) implements Completion {
    }

    /** The answer could not be produced: the worker must stop without committing it. */
    record Failed(PartitionLease lease, ConsumerRecord<byte[], byte[]> record, Exception cause) implements Completion {
    }
}
