package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockShareConsumer;
import org.junit.jupiter.api.Test;

/**
 * Queue mode sends a job's acknowledgement with the next poll, not in a request of its own: one
 * request per job cost the broker a round trip and a share-state write each. Only when no poll has
 * carried acknowledgements for the commit interval do they leave on their own. (The broker side of
 * acknowledgements is tested against a real broker in {@link QueueModeTest}.)
 */
@Fast
class ShareAcknowledgementPacingTest {
    private static final Duration INTERVAL = Duration.ofMillis(200);

    /** The client's own mock of a share consumer, counting the acknowledgements sent on their own. */
    private static final class CountingShareConsumer extends MockShareConsumer<byte[], byte[]> {
        int sentOnTheirOwn;
        int polls;

        @Override
        public synchronized void commitAsync() {
            sentOnTheirOwn++;
            super.commitAsync();
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            polls++;
            return super.poll(timeout);
        }
    }

    private final ManualClock clock = new ManualClock();
    private final CountingShareConsumer consumer = new CountingShareConsumer();

    private ShareJobSource source(Duration interval) {
        ShareJobSource source = new ShareJobSource(consumer, new QueueMetrics(new SimpleMeterRegistry()), clock,
                Duration.ofSeconds(30), interval, time -> { });
        source.subscribe("jobs", partitions -> { });
        return source;
    }

    /** Polls one job record, takes it and acknowledges it as answered. */
    private void runOneJob(ShareJobSource source, long offset) {
        consumer.addRecord(new ConsumerRecord<>("jobs", 0, offset, new byte[0], new byte[0]));
        List<ConsumerRecord<byte[], byte[]>> polled = new java.util.ArrayList<>();
        source.poll(Duration.ZERO).forEach(polled::add);
        assertEquals(1, polled.size(), "the job's record is polled");
        TakenJob job = source.take(polled.get(0), System.nanoTime()).orElseThrow();
        source.acknowledge(job, AcknowledgeType.ACCEPT, 0);
    }

    @Test
    void jobsOneAfterAnotherHaveTheirAcknowledgementsCarriedByTheNextPoll() {
        ShareJobSource source = source(INTERVAL);
        for (int i = 0; i < 20; i++) {
            runOneJob(source, i);
            source.sendAcknowledgements(); // what the poll loop does after every round
            clock.advance(Duration.ofMillis(20));
        }
        assertEquals(20, consumer.polls);
        assertEquals(0, consumer.sentOnTheirOwn, "every acknowledgement rode on the poll that fetched the next job");
        assertEquals(0, source.held());
    }

    @Test
    void anAcknowledgementNoPollCarriesLeavesOnItsOwnAfterTheInterval() {
        ShareJobSource source = source(INTERVAL);
        runOneJob(source, 0);
        source.sendAcknowledgements();
        assertEquals(0, consumer.sentOnTheirOwn, "within the interval of the last poll");
        clock.advance(INTERVAL.minusMillis(1));
        source.sendAcknowledgements();
        assertEquals(0, consumer.sentOnTheirOwn, "still within it");
        clock.advance(Duration.ofMillis(1));
        source.sendAcknowledgements();
        assertEquals(1, consumer.sentOnTheirOwn, "the interval has passed with no poll");
        clock.advance(INTERVAL);
        source.sendAcknowledgements();
        assertEquals(1, consumer.sentOnTheirOwn, "nothing new to send");
    }

    @Test
    void withNoIntervalEachAcknowledgementLeavesAtOnce() {
        ShareJobSource source = source(Duration.ZERO);
        runOneJob(source, 0);
        source.sendAcknowledgements();
        assertEquals(1, consumer.sentOnTheirOwn);
    }
}
