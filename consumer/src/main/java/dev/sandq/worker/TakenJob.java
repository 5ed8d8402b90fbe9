package dev.sandq.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A job record this worker took to run: under which partition lease, which attempt at the job
 * this run is (1, or more when it was started before by this worker or an earlier owner), and
 * its timeline so far (when it was polled).
 */
record TakenJob(ConsumerRecord<byte[], byte[]> record, PartitionLease lease, int attempt, JobTimeline timeline) {

    TopicPartition partition() {
        return lease.partition();
    }

    long offset() {
        return record.offset();
    }

    TakenJob withAttempt(int next) {
        return new TakenJob(record, lease, next, timeline);
    }
}
