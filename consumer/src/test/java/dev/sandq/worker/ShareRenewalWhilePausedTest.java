package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockShareConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record whose RENEW has left comes back only with a poll. A paused worker (its circuit open,
 * or its slots and prefetch full) polls little, but not so little that such a record stays away:
 * its job's RELEASE would wait for the keep-alive poll, a minute, and a running job's lock would
 * run out.
 */
@Fast
class ShareRenewalWhilePausedTest {
    private static final Duration LOCK = Duration.ofSeconds(30);

    /** The client's own mock, which never returns a renewed record by itself: the test does. */
    private static final class PollCountingShareConsumer extends MockShareConsumer<byte[], byte[]> {
        final List<AcknowledgeType> acknowledgements = new ArrayList<>();
        int polls;

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            polls++;
            return super.poll(timeout);
        }

        @Override
        public synchronized void acknowledge(ConsumerRecord<byte[], byte[]> record, AcknowledgeType type) {
            acknowledgements.add(type);
        }
    }

    private final ManualClock clock = new ManualClock();
    private final PollCountingShareConsumer consumer = new PollCountingShareConsumer();
    private final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("jobs", 0, 7, new byte[0], new byte[0]);
    private ShareJobSource source;
    private TakenJob job;

    /** A job taken, then a poll that renews its record; the record is not back yet. */
    @BeforeEach
    void aJobWhoseRecordIsBeingRenewed() {
        source = new ShareJobSource(consumer, new QueueMetrics(new SimpleMeterRegistry()), clock, LOCK,
                Duration.ofMillis(200), time -> { });
        source.subscribe("jobs", partitions -> { });
        consumer.addRecord(record);
        List<ConsumerRecord<byte[], byte[]>> polled = new ArrayList<>();
        source.poll(Duration.ZERO).forEach(polled::add);
        job = source.take(polled.get(0), System.nanoTime()).orElseThrow();
        clock.advance(ShareJobSource.RENEWING_POLL_INTERVAL);
        source.poll(Duration.ZERO);
        assertEquals(List.of(AcknowledgeType.RENEW), consumer.acknowledgements, "the running job's record renewed");
        assertEquals(2, consumer.polls);
    }

    @Test
    void aJobReleasedWhilePausedHasItsRecordBroughtBackAndReleasedWithinARenewingPollInterval() {
        source.pause();
        source.acknowledge(job, AcknowledgeType.RELEASE, 0);
        source.poll(Duration.ZERO);
        assertEquals(2, consumer.polls, "not before the renewing poll interval");
        clock.advance(ShareJobSource.RENEWING_POLL_INTERVAL);
        consumer.addRecord(record); // the renewed record, back
        source.poll(Duration.ZERO);
        assertEquals(3, consumer.polls, "a poll brings the renewed record back");
        assertEquals(List.of(AcknowledgeType.RENEW, AcknowledgeType.RELEASE), consumer.acknowledgements);
        assertEquals(0, source.held());
    }

    @Test
    void aRunningJobsRecordBeingRenewedWhilePausedIsPolledForBeforeHalfItsLockIsGone() {
        source.pause();
        clock.advance(LOCK.dividedBy(2).minus(ShareJobSource.RENEWING_POLL_INTERVAL).minusMillis(1));
        source.poll(Duration.ZERO);
        assertEquals(2, consumer.polls, "paused, nothing to acknowledge: no poll yet");
        clock.advance(Duration.ofMillis(1));
        consumer.addRecord(record);
        source.poll(Duration.ZERO);
        assertEquals(3, consumer.polls, "half the lock gone since it was last locked: polled for");
        assertEquals(1, source.held(), "the job still runs: its record is held, acknowledgeable again");
    }
}
