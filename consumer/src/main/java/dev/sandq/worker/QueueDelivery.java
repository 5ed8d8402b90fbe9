package dev.sandq.worker;

import dev.sandq.executor.Status;
import dev.sandq.wire.JobStage;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.common.TopicPartition;

/**
 * Queue mode: jobs come from a share group ({@link ShareJobSource}), each record acknowledged on
 * its own. The slot produces the answer as in at-least-once; once the broker has acknowledged it,
 * the poll thread acknowledges the record: ACCEPT; REJECT when the job can
 * never run (answered rejected, or dead-lettered: unroutable, or its delivery count reached the
 * group's limit); RELEASE when it was not answered (the worker stops, a slot failed, the sandbox
 * circuit is open, the sandbox failed and the job will be tried again). While a job runs, its
 * record's lock is renewed. There are no offsets to commit: an acknowledgement rides on its lane's
 * next fetch (or leaves on its own after the commit interval, when the lane does not fetch), and a job's last stage,
 * {@link JobStage#COMMITTED}, is the broker's confirmation of its record's acknowledgement.
 * At least once: a job whose worker dies is delivered again when its lock runs out.
 */
final class QueueDelivery implements DeliveryStrategy {
    private final ShareJobSource jobs;
    private final ReplyProducer producer;
    private final SlotReplies replies;

    private QueueDelivery(ShareJobSource jobs, ReplyProducer producer, WorkerConfig config, WorkerMetrics metrics,
                          Clock clock) {
        this.jobs = jobs;
        this.producer = producer;
        this.replies = new SlotReplies(producer, config, metrics, clock);
    }

    static QueueDelivery open(WorkerConfig config, WorkerMetrics metrics, Clock clock, ShareGroupSettings group) {
        ShareJobSource jobs = ShareJobSource.open(config, new QueueMetrics(metrics.registry()), clock,
                group.lockDuration(), time -> metrics.stage(JobStage.COMMITTED, time));
        try {
            ReplyProducer producer = ReplyProducer.open(KafkaClientProperties.producer(config), metrics.registry());
            return new QueueDelivery(jobs, producer, config, metrics, clock);
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
        long answeredAt = completion instanceof Completion.Answered a
                ? a.delivery().timeline().at(JobStage.ACKNOWLEDGED) : 0;
        jobs.acknowledge(completion.job(), acknowledgement(completion), answeredAt);
    }

    /** How the record of a job that ended is acknowledged. */
    static AcknowledgeType acknowledgement(Completion completion) {
        if (completion instanceof Completion.Answered a) {
            Delivery d = a.delivery();
            return d.deadLettered() || d.status() == Status.REJECTED ? AcknowledgeType.REJECT : AcknowledgeType.ACCEPT;
        }
        return AcknowledgeType.RELEASE;
    }

    @Override
    public void commitProgress() {
        // Nothing to commit: each lane sends its acknowledgement with its next fetch, or on its own.
    }

    /** The worker stops (nothing is revoked in a share group): every record held is acknowledged or released. */
    @Override
    public void commitNow(Collection<TopicPartition> partitions) {
        jobs.settleAll();
    }

    @Override
    public void close() {
        jobs.close();
        producer.close();
        replies.close();
    }
}
