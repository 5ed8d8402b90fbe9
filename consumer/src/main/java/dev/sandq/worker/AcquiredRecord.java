package dev.sandq.worker;

import java.time.Instant;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The one share-group record a {@link ShareLane} holds the acquisition lock of, from its delivery
 * to its last acknowledgement. Guarded by its lane.
 */
final class AcquiredRecord {
    /** The record as the poll that returned it last gave it (acknowledge() wants that one). */
    ConsumerRecord<byte[], byte[]> record;
    final PartitionLease lease;
    /** When its lock began (delivery) or was last renewed, as far as this worker saw. */
    Instant lockedAt;
    /** Handed to a slot (a record the loop did not take, while draining, is released). */
    boolean taken;
    /** How its job's end says to acknowledge it; null while the job runs or waits for a slot. */
    AcknowledgeType answer;
    /** When its job's answer was acknowledged by the broker (System.nanoTime()), or 0. */
    long answeredAt;

    AcquiredRecord(ConsumerRecord<byte[], byte[]> record, Instant lockedAt) {
        this.record = record;
        this.lease = new PartitionLease(new TopicPartition(record.topic(), record.partition()));
        this.lockedAt = lockedAt;
    }

    Key key() {
        return Key.of(record);
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
