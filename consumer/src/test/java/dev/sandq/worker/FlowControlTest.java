package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

@Fast
class FlowControlTest {
    /** Two partitions, paused and resumed together; nothing else. */
    private static final class TwoPartitions implements JobSource {
        boolean paused;
        Instant pausedUntil;

        @Override
        public void pause() {
            paused = true;
            pausedUntil = null;
        }

        @Override
        public void pauseUntil(Instant resumesAt) {
            paused = true;
            pausedUntil = resumesAt;
        }

        @Override
        public void resume() {
            paused = false;
        }

        @Override
        public int pausedPartitions() {
            return paused ? 2 : 0;
        }

        @Override
        public void subscribe(String topic, BeforeRevocation beforeRevocation) {
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            return ConsumerRecords.empty();
        }

        @Override
        public void wake() {
        }

        @Override
        public Optional<TakenJob> take(ConsumerRecord<byte[], byte[]> record, long polledAt) {
            return Optional.empty();
        }

        @Override
        public boolean owns(PartitionLease lease) {
            return true;
        }

        @Override
        public Set<TopicPartition> partitions() {
            return Set.of();
        }

        @Override
        public int assignedPartitions() {
            return 2;
        }

        @Override
        public int rebalanceCallbacks() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void pausesWhenTheHeldJobsFillTheCapacityAndResumesBelowIt() {
        TwoPartitions jobs = new TwoPartitions();
        FlowControl flow = new FlowControl(jobs, 3);
        flow.update(false, Optional.empty(), 2);
        assertEquals(0, flow.pausedPartitions());
        flow.update(false, Optional.empty(), 3);
        assertEquals(2, flow.pausedPartitions());
        flow.update(false, Optional.empty(), 2);
        assertEquals(0, flow.pausedPartitions());
    }

    @Test
    void pausesWhileStoppingOrUntilTheSandboxCircuitLetsJobsThroughAgain() {
        TwoPartitions jobs = new TwoPartitions();
        FlowControl flow = new FlowControl(jobs, 3);
        flow.update(true, Optional.empty(), 0);
        assertEquals(2, flow.pausedPartitions(), "stopping");
        assertEquals(null, jobs.pausedUntil, "stopping: for a time not known");
        Instant closes = Instant.parse("2026-12-07T10:00:00Z");
        flow.update(false, Optional.of(closes), 0);
        assertEquals(2, flow.pausedPartitions(), "circuit open");
        assertEquals(closes, jobs.pausedUntil, "the job source knows until when");
        flow.update(false, Optional.empty(), 0);
        assertEquals(0, flow.pausedPartitions());
    }
}
