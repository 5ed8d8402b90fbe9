package dev.sandq.worker;

import java.time.Instant;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One share-group record whose acquisition lock this worker holds, from its delivery to its last
 * acknowledgement. Poll thread only.
 *
 * <p>The share consumer in explicit mode takes an acknowledgement of every record that the last
 * poll returned before it polls again: while its job runs, that is RENEW, and a renewed record
 * comes back in a later poll (then it is {@link #acknowledgeable} again, as that poll's record).
 * Between the two it cannot be acknowledged: an answer that comes then waits in {@link #answer}.
 */
final class AcquiredRecord {
    /** The record as the poll that returned it last gave it (acknowledge() wants that one). */
    ConsumerRecord<byte[], byte[]> record;
    final PartitionLease lease;
    /** When its lock began (delivery) or was last renewed, as far as this worker saw. */
    Instant lockedAt;
    /** Returned by the last poll and not yet acknowledged: the next poll needs its acknowledgement. */
    boolean acknowledgeable = true;
    /** Handed to a slot (a record the loop did not take, while draining, is released). */
    boolean taken;
    /** RENEW sent, the record not yet back from a poll. */
    boolean renewing;
    /** The acknowledgement its job's end calls for, while it cannot be given yet (renewing). */
    AcknowledgeType answer;

    AcquiredRecord(ConsumerRecord<byte[], byte[]> record, Instant lockedAt) {
        this.record = record;
        this.lease = new PartitionLease(new TopicPartition(record.topic(), record.partition()));
        this.lockedAt = lockedAt;
    }

    /** Its delivery count: 1 on its first delivery. */
    int deliveries() {
        return record.deliveryCount().map(Short::intValue).orElse(1);
    }

    /** Whose record this is: topic, partition, offset. */
    record Key(String topic, int partition, long offset) {
        static Key of(ConsumerRecord<?, ?> r) {
            return new Key(r.topic(), r.partition(), r.offset());
        }
    }
}
