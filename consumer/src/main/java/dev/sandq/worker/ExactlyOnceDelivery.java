package dev.sandq.worker;

import dev.sandq.wire.JobStage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once: slots hand their answers to the poll thread, which produces them together with
 * the offsets they complete in one transaction, so that read_committed readers see one reply per
 * job. The transactional id is named after the group and the worker id: a restarted worker with
 * the same id fences its dead predecessor. A failed transaction is aborted and retried with
 * backoff; a fenced producer stops the worker. A job's stages are timed when its transaction
 * commits: produced is its send in the transaction, acknowledged the broker's acknowledgement of
 * that send, and offset committed the transaction's commit.
 */
final class ExactlyOnceDelivery implements DeliveryStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceDelivery.class);

    private final GroupJobSource jobs;
    private final OffsetLedger ledger;
    private final ReplyProducer replies;
    private final KafkaProducer<byte[], byte[]> producer;
    private final WorkerMetrics metrics;
    private final Duration backoff;
    private final Clock clock;
    private final List<Completion.Answered> toSend = new ArrayList<>();
    private int transactionFailures;
    private Instant nextTransactionAt = Instant.MIN;

    private ExactlyOnceDelivery(GroupJobSource jobs, OffsetLedger ledger, ReplyProducer replies, Duration backoff,
                                WorkerMetrics metrics, Clock clock) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.replies = replies;
        this.producer = replies.producer();
        this.backoff = backoff;
        this.metrics = metrics;
        this.clock = clock;
    }

    static ExactlyOnceDelivery open(WorkerConfig config, WorkerMetrics metrics, Clock clock) {
        OffsetLedger ledger = new OffsetLedger();
        GroupJobSource jobs = GroupJobSource.open(config, ledger, metrics.registry());
        ReplyProducer replies = null;
        try {
            Map<String, Object> properties = KafkaClientProperties.producer(config);
            properties.putIfAbsent(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    "sandq-" + config.groupId() + "-" + config.workerId());
            replies = ReplyProducer.open(properties, metrics.registry());
            replies.producer().initTransactions();
            return new ExactlyOnceDelivery(jobs, ledger, replies, config.produceBackoff(), metrics, clock);
        } catch (RuntimeException e) {
            if (replies != null) {
                replies.close();
            }
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
        return CompletableFuture.completedFuture(new Completion.Answered(job, answer, startedAt));
    }

    @Override
    public void completed(Completion completion) {
        if (completion instanceof Completion.Answered a) {
            toSend.add(a);
        }
    }

    @Override
    public void commitProgress() throws DeliveryFailedException {
        if (clock.instant().isBefore(nextTransactionAt)) {
            return;
        }
        flushTransaction();
    }

    /** A transaction carries every pending answer and the offsets of all partitions, whichever are asked for. */
    @Override
    public void commitNow(Collection<TopicPartition> partitions) throws DeliveryFailedException {
        nextTransactionAt = Instant.MIN;
        flushTransaction();
    }

    /** The pending answers and the offsets they complete, in one transaction. */
    private void flushTransaction() throws DeliveryFailedException {
        toSend.removeIf(a -> !jobs.owns(a.job().lease()));
        if (toSend.isEmpty()) {
            return;
        }
        List<Completion.Answered> batch = new ArrayList<>(toSend);
        toSend.clear();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        long[] producedAt = new long[batch.size()];
        // Written by the producer's I/O thread; read after commitTransaction, which waited for every send.
        AtomicLongArray acknowledgedAt = new AtomicLongArray(batch.size());
        try {
            producer.beginTransaction();
            for (int i = 0; i < batch.size(); i++) {
                Completion.Answered a = batch.get(i);
                int index = i;
                producedAt[i] = System.nanoTime();
                if (a.delivery().alsoDeadLetter() != null) {
                    producer.send(a.delivery().alsoDeadLetter());
                }
                sent.add(producer.send(a.delivery().record(), (metadata, e) -> {
                    if (e == null) {
                        acknowledgedAt.set(index, System.nanoTime());
                    }
                }));
                ledger.answered(a.job().partition(), a.job().offset());
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable();
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, jobs.consumer().groupMetadata());
            }
            producer.commitTransaction();
            ledger.committed(offsets);
            transactionFailures = 0;
            long committedAt = System.nanoTime();
            Instant now = clock.instant();
            for (int i = 0; i < batch.size(); i++) {
                Completion.Answered a = batch.get(i);
                metrics.answered(a.delivery(), Duration.between(a.startedAt(), now));
                metrics.stages(a.delivery().timeline().with(JobStage.PRODUCED, producedAt[i])
                        .with(JobStage.ACKNOWLEDGED, acknowledgedAt.get(i)).with(JobStage.COMMITTED, committedAt));
            }
        } catch (ProducerFencedException | OutOfOrderSequenceException | InvalidProducerEpochException
                 | AuthorizationException e) {
            LOG.error("the transactional producer cannot go on", e);
            throw new DeliveryFailedException("the transactional producer cannot go on", e);
        } catch (KafkaException e) {
            LOG.warn("transaction of {} repl(ies) failed, aborting and retrying: {}", batch.size(), e.toString());
            producer.abortTransaction();
            toSend.addAll(0, retries(batch, sent));
            transactionFailures++;
            nextTransactionAt = clock.instant().plus(backoff.multipliedBy(1L << Math.min(transactionFailures, 8)));
        }
    }

    /** The aborted batch again, each answer in its next smaller form where the broker refused it as too large. */
    private List<Completion.Answered> retries(List<Completion.Answered> batch, List<Future<RecordMetadata>> sent) {
        List<Completion.Answered> retry = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Completion.Answered a = batch.get(i);
            ledger.reopened(a.job().partition(), a.job().offset());
            Delivery d = tooLarge(sent, i) ? a.delivery().next() : a.delivery();
            if (d != null) {
                retry.add(new Completion.Answered(a.job(), d, a.startedAt()));
            }
        }
        return retry;
    }

    private static boolean tooLarge(List<Future<RecordMetadata>> sent, int i) {
        if (i >= sent.size() || !sent.get(i).isDone()) {
            return false;
        }
        try {
            sent.get(i).get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof RecordTooLargeException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        jobs.close();
        replies.close();
    }
}
