package dev.sandq.worker;

import dev.sandq.wire.JobStage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once: the slot produces the answer ({@link ReplyPublisher}) and goes on to its next
 * job; only once the broker has acknowledged the answer is its offset marked answered. The poll thread commits,
 * per partition, the lowest unanswered offset, asynchronously and at most once per commit
 * interval. After a crash, jobs answered since the last commit are answered again (same id).
 * A job's stages are timed when its reply is acknowledged, its last one, offset committed, when
 * the commit that covers it succeeds ({@link AwaitingCommit}).
 */
final class AtLeastOnceDelivery implements DeliveryStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(AtLeastOnceDelivery.class);

    private final GroupJobSource jobs;
    private final OffsetLedger ledger;
    private final ReplyProducer producer;
    private final SlotReplies replies;
    private final WorkerMetrics metrics;
    private final Duration commitInterval;
    private final Clock clock;
    private final AwaitingCommit awaitingCommit = new AwaitingCommit();
    /** No commit before this (WorkerConfig.commitInterval). */
    private Instant nextCommitAt = Instant.MIN;

    private AtLeastOnceDelivery(GroupJobSource jobs, OffsetLedger ledger, ReplyProducer producer, WorkerConfig config,
                                WorkerMetrics metrics, Clock clock) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.producer = producer;
        this.replies = new SlotReplies(producer, config, metrics, clock);
        this.metrics = metrics;
        this.commitInterval = config.commitInterval();
        this.clock = clock;
    }

    static AtLeastOnceDelivery open(WorkerConfig config, WorkerMetrics metrics, Clock clock) {
        OffsetLedger ledger = new OffsetLedger();
        GroupJobSource jobs = GroupJobSource.open(config, ledger, metrics.registry());
        try {
            ReplyProducer producer = ReplyProducer.open(KafkaClientProperties.producer(config), metrics.registry());
            return new AtLeastOnceDelivery(jobs, ledger, producer, config, metrics, clock);
        } catch (RuntimeException e) {
            jobs.close();
            throw e;
        }
    }

    @Override
    public JobSource jobs() {
        return jobs;
    }

    @Override
    public CompletableFuture<Completion> deliver(TakenJob job, Delivery answer, Instant startedAt) {
        return replies.answer(job, answer, startedAt);
    }

    @Override
    public void completed(Completion completion) {
        if (completion instanceof Completion.Answered a && ledger.answered(a.job().partition(), a.job().offset())) {
            awaitingCommit.answered(a.job().partition(), a.job().offset(),
                    a.delivery().timeline().at(JobStage.ACKNOWLEDGED));
        }
    }

    @Override
    public void commitProgress() {
        Instant now = clock.instant();
        if (now.isBefore(nextCommitAt)) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable();
        if (!offsets.isEmpty()) {
            nextCommitAt = now.plus(commitInterval);
            ledger.committed(offsets);
            jobs.consumer().commitAsync(offsets, (done, e) -> {
                if (e != null) {
                    LOG.warn("commit of {} failed; it will be retried: {}", done, e.toString());
                    ledger.commitFailed(offsets.keySet());
                } else {
                    committed(offsets);
                }
            });
        }
    }

    @Override
    public void commitNow(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable(partitions);
        if (!offsets.isEmpty()) {
            jobs.consumer().commitSync(offsets);
            committed(offsets);
        }
    }

    /** Times the jobs that the commit of {@code offsets} covers; forgets those of partitions gone. */
    private void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        awaitingCommit.committed(offsets, System.nanoTime(), time -> metrics.stage(JobStage.COMMITTED, time));
        awaitingCommit.retain(jobs.partitions());
    }

    @Override
    public void close() {
        jobs.close();
        producer.close();
        replies.close();
    }
}
