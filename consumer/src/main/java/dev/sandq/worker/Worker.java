package dev.sandq.worker;

import dev.sandq.executor.Sandbox;
import dev.sandq.wire.JobParser;
import dev.sandq.worker.topics.MissingTopicException;
import dev.sandq.worker.topics.TopicCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 * The sandq worker: one poll thread owns the consumer; N slot threads run jobs. Records of a
 * partition finish out of order; per partition only the lowest unanswered offset is committed.
 * Partitions are paused while the slots (and the prefetch) are full, so poll() keeps running and
 * a long job never exceeds max.poll.interval.ms. In at-least-once mode a slot produces the reply
 * and waits for the broker's acknowledgement before the poll thread may commit its offset; in
 * exactly-once mode the poll thread produces replies and offsets in one transaction.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final WorkerConfig config;
    private final Clock clock;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    private final ExecutorService slots;
    private final SandboxGuard guard;
    private final JobProcessor processor;
    private final ReplyPublisher publisher;
    private final WorkerMetrics metrics;
    private final List<AutoCloseable> clientMetrics = new ArrayList<>();

    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final OffsetLedger ledger = new OffsetLedger();
    private final Map<TopicPartition, PartitionLease> leases = new HashMap<>();
    private final List<Completion.Deferred> deferred = new ArrayList<>();
    private final List<Completion.ToSend> toSend = new ArrayList<>();
    private int inFlight;
    private int transactionFailures;
    private Instant nextTransactionAt = Instant.MIN;
    /** At-least-once: no commit before this (WorkerConfig.commitInterval). */
    private Instant nextCommitAt = Instant.MIN;
    private Throwable fatal;

    private final AtomicInteger rebalanceCallbacks = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean draining;
    private volatile boolean running;
    private volatile int pausedPartitions;
    private volatile int inFlightGauge;
    private volatile Instant lastPoll;

    private Worker(WorkerConfig config, Sandbox sandbox, Clock clock, MeterRegistry registry, Admin admin,
                   int maxReplyBytes) {
        this.config = config;
        this.clock = clock;
        this.admin = admin;
        this.metrics = new WorkerMetrics(registry);
        this.guard = new SandboxGuard(sandbox, config.circuitOpenFor(), config.circuitMinimumCalls());
        this.consumer = new KafkaConsumer<>(KafkaClientProperties.consumer(config));
        this.producer = new KafkaProducer<>(KafkaClientProperties.producer(config));
        if (config.deliveryMode() == DeliveryMode.EXACTLY_ONCE) {
            producer.initTransactions();
        }
        this.publisher = config.deliveryMode() == DeliveryMode.AT_LEAST_ONCE
                ? new ReplyPublisher(producer, config.produceAttempts(), config.produceBackoff())
                : null;
        this.processor = new JobProcessor(new JobParser(config.maxCodeBytes()), guard, new TopicDirectory(admin, clock),
                new ReplyRecords(maxReplyBytes, config.topics().deadLetters(), config.groupId()),
                config.topics().results(), config.workerId(), config.jobAttempts(), clock);
        AtomicInteger n = new AtomicInteger();
        this.slots = Executors.newFixedThreadPool(config.slots(), r -> {
            Thread t = new Thread(r, "sandq-slot-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        metrics.gauges(guard::busySlots, () -> pausedPartitions, () -> guard.admitting() ? 0 : 1, () -> inFlightGauge);
        metrics.sandboxCounters(guard);
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        clientMetrics.add(consumerMetrics);
        clientMetrics.add(producerMetrics);
    }

    /**
     * Checks the topics and connects. Throws {@link MissingTopicException} (message says which
     * and what to run) when one of the worker's topics does not exist.
     */
    public static Worker create(WorkerConfig config, Sandbox sandbox, Clock clock, MeterRegistry registry)
            throws MissingTopicException, InterruptedException {
        Admin admin = Admin.create(KafkaClientProperties.admin(config));
        try {
            int topicLimit = TopicCheck.requireTopics(admin, config.topics(), config.bootstrapServers());
            int maxReply = config.maxReplyBytes() > 0 ? config.maxReplyBytes() : topicLimit;
            return new Worker(config, sandbox, clock, registry, admin, maxReply);
        } catch (MissingTopicException | InterruptedException | RuntimeException e) {
            admin.close();
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            admin.close();
            throw new IllegalStateException("cannot reach Kafka at " + config.bootstrapServers() + ": " + e, e);
        }
    }

    /** Runs the poll loop in the calling thread until {@link #requestStop()} (then drains) or a fatal error. */
    public void run() {
        running = true;
        lastPoll = clock.instant();
        consumer.subscribe(List.of(config.topics().jobs()), new Rebalance());
        Instant drainDeadline = null;
        LOG.info("worker {} consuming {} with {} slots ({})", config.workerId(), config.topics().jobs(),
                config.slots(), config.deliveryMode().wireName());
        try {
            while (true) {
                if (stopRequested && !draining) {
                    draining = true;
                    drainDeadline = clock.instant().plus(config.drainTimeout());
                    LOG.info("stopping: draining {} in-flight job(s) for up to {}", inFlight, config.drainTimeout());
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(config.pollTimeout());
                lastPoll = clock.instant();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    take(r);
                }
                handleCompletions();
                if (fatal != null) {
                    break;
                }
                commitProgress();
                if (fatal != null) {
                    break;
                }
                resubmitDeferred();
                updatePause();
                if (draining && (inFlight == 0 || !clock.instant().isBefore(drainDeadline))) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("the poll loop failed", e);
            fatal = e;
        } finally {
            shutdown();
        }
    }

    /** Starts {@link #run()} on a new thread named sandq-poll. */
    public Thread start() {
        Thread t = new Thread(this::run, "sandq-poll-" + config.workerId());
        t.start();
        return t;
    }

    /** Stop fetching, drain in-flight jobs up to the drain timeout, commit, leave the group. Any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ready for jobs: running, not stopping, sandbox circuit not open. */
    public boolean ready() {
        return running && !draining && fatal == null && guard.admitting();
    }

    /** Alive: the poll loop ran recently. */
    public boolean healthy() {
        Instant last = lastPoll;
        return running && fatal == null && last != null
                && Duration.between(last, clock.instant()).compareTo(Duration.ofSeconds(30)) < 0;
    }

    /** The fatal error that stopped the worker, or null. */
    public Throwable failure() {
        return fatal;
    }

    /** How many times the group's rebalance callbacks ran (tests: a long job causes none). */
    public int rebalanceCallbacks() {
        return rebalanceCallbacks.get();
    }

    public int assignedPartitions() {
        return leases.size();
    }

    @Override
    public void close() throws InterruptedException {
        requestStop();
        awaitStopped(config.drainTimeout().plusSeconds(30));
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        PartitionLease lease = leases.get(tp);
        if (draining || lease == null) {
            return;
        }
        submit(r, lease, ledger.taken(tp, r.offset()));
    }

    private void submit(ConsumerRecord<byte[], byte[]> r, PartitionLease lease, int attempt) {
        inFlight++;
        inFlightGauge = inFlight;
        slots.execute(new SlotTask(r, lease, attempt, processor, publisher, completions, () -> draining, metrics, clock));
    }

    private boolean current(Completion c) {
        return leases.get(c.lease().partition()) == c.lease() && c.lease().held();
    }

    private void handleCompletions() {
        Completion c;
        while ((c = completions.poll()) != null) {
            inFlight--;
            TopicPartition tp = c.lease().partition();
            if (c instanceof Completion.Answered a) {
                if (current(a)) {
                    ledger.answered(tp, a.record().offset());
                }
            } else if (c instanceof Completion.ToSend s) {
                if (current(s)) {
                    toSend.add(s);
                }
            } else if (c instanceof Completion.Deferred d) {
                if (current(d) && !draining) {
                    deferred.add(d);
                }
            } else if (c instanceof Completion.Failed f) {
                fatal = f.cause();
            }
        }
        inFlightGauge = inFlight;
    }

    private void commitProgress() {
        if (config.deliveryMode() == DeliveryMode.EXACTLY_ONCE) {
            flushTransaction();
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(nextCommitAt)) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable();
        if (!offsets.isEmpty()) {
            nextCommitAt = now.plus(config.commitInterval());
            ledger.committed(offsets);
            consumer.commitAsync(offsets, (done, e) -> {
                if (e != null) {
                    LOG.warn("commit of {} failed; it will be retried: {}", done, e.toString());
                    ledger.commitFailed(offsets.keySet());
                }
            });
        }
    }

    /** Exactly-once: the pending replies and the offsets they complete, in one transaction. */
    private void flushTransaction() {
        if (toSend.isEmpty() || clock.instant().isBefore(nextTransactionAt)) {
            return;
        }
        List<Completion.ToSend> batch = new ArrayList<>(toSend);
        toSend.clear();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            producer.beginTransaction();
            for (Completion.ToSend s : batch) {
                sent.add(producer.send(s.delivery().record()));
                ledger.answered(s.lease().partition(), s.record().offset());
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable();
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            producer.commitTransaction();
            ledger.committed(offsets);
            transactionFailures = 0;
            Instant now = clock.instant();
            for (Completion.ToSend s : batch) {
                metrics.answered(s.delivery(), Duration.between(s.startedAt(), now));
            }
        } catch (ProducerFencedException | OutOfOrderSequenceException | InvalidProducerEpochException
                 | AuthorizationException e) {
            LOG.error("the transactional producer cannot go on", e);
            fatal = e;
        } catch (KafkaException e) {
            LOG.warn("transaction of {} repl(ies) failed, aborting and retrying: {}", batch.size(), e.toString());
            producer.abortTransaction();
            List<Completion.ToSend> retry = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Completion.ToSend s = batch.get(i);
                ledger.reopened(s.lease().partition(), s.record().offset());
                Delivery d = tooLarge(sent, i) ? s.delivery().next() : s.delivery();
                if (d != null) {
                    retry.add(new Completion.ToSend(s.lease(), s.record(), d, s.startedAt()));
                }
            }
            toSend.addAll(0, retry);
            transactionFailures++;
            nextTransactionAt = clock.instant().plus(
                    config.produceBackoff().multipliedBy(1L << Math.min(transactionFailures, 8)));
        }
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

    private void resubmitDeferred() {
        if (deferred.isEmpty() || draining || !guard.admitting()) {
            return;
        }
        List<Completion.Deferred> again = new ArrayList<>(deferred);
        deferred.clear();
        for (Completion.Deferred d : again) {
            if (current(d)) {
                submit(d.record(), d.lease(), d.attempt());
            }
        }
    }

    private void updatePause() {
        boolean hold = draining || !guard.admitting()
                || inFlight + deferred.size() >= config.slots() + config.prefetch();
        if (hold) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
        pausedPartitions = consumer.paused().size();
    }

    private void shutdown() {
        draining = true;
        try {
            if (inFlight > 0) {
                LOG.warn("{} job(s) still running at the drain deadline are killed and not committed", inFlight);
                slots.shutdownNow();
            } else {
                slots.shutdown();
            }
            if (!slots.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("slots did not stop within 30 s");
            }
            handleCompletions();
            if (fatal == null) {
                if (config.deliveryMode() == DeliveryMode.EXACTLY_ONCE) {
                    nextTransactionAt = Instant.MIN;
                    flushTransaction();
                } else {
                    Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable();
                    if (!offsets.isEmpty()) {
                        consumer.commitSync(offsets);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("final commit failed: {}", e.toString());
        } finally {
            closeQuietly(consumer::close);
            closeQuietly(() -> producer.close(Duration.ofSeconds(10)));
            closeQuietly(admin::close);
            clientMetrics.forEach(m -> closeQuietly(m::close));
            running = false;
            LOG.info("worker {} stopped{}", config.workerId(), fatal == null ? "" : " after a fatal error: " + fatal);
            stopped.countDown();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("close failed: {}", e.toString());
        }
    }

    /** Commits what is complete when partitions go; ends their leases so queued jobs are not started. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            rebalanceCallbacks.incrementAndGet();
            if (partitions.isEmpty()) {
                return;
            }
            handleCompletions();
            if (fatal == null) {
                try {
                    if (config.deliveryMode() == DeliveryMode.EXACTLY_ONCE) {
                        nextTransactionAt = Instant.MIN;
                        flushTransaction();
                    } else {
                        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable(partitions);
                        if (!offsets.isEmpty()) {
                            consumer.commitSync(offsets);
                        }
                    }
                } catch (KafkaException e) {
                    LOG.warn("commit on revocation of {} failed: {}", partitions, e.toString());
                }
            }
            forget(partitions);
            LOG.info("partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            rebalanceCallbacks.incrementAndGet();
            forget(partitions);
            LOG.warn("partitions lost: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            rebalanceCallbacks.incrementAndGet();
            Map<TopicPartition, OffsetAndMetadata> previous = previousCommits(partitions);
            for (TopicPartition tp : partitions) {
                PartitionLease lease = new PartitionLease(tp);
                leases.put(tp, lease);
                OffsetAndMetadata om = previous.get(tp);
                ledger.assigned(lease, om == null ? -1 : TakenMark.parse(om.metadata()).orElse(-1));
            }
            if (!partitions.isEmpty()) {
                LOG.info("partitions assigned: {}", partitions);
            }
        }

        /** The group's last commits, whose {@link TakenMark}s say which records an earlier owner took. */
        private Map<TopicPartition, OffsetAndMetadata> previousCommits(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return Map.of();
            }
            try {
                Map<TopicPartition, OffsetAndMetadata> m = consumer.committed(new HashSet<>(partitions),
                        Duration.ofSeconds(10));
                return m == null ? Map.of() : m;
            } catch (KafkaException e) {
                LOG.warn("cannot read the committed offsets of {}; redeliveries will say attempt 1: {}", partitions,
                        e.toString());
                return Map.of();
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                PartitionLease lease = leases.remove(tp);
                if (lease != null) {
                    lease.end();
                }
            }
            ledger.forget(partitions);
            deferred.removeIf(d -> partitions.contains(d.lease().partition()));
            toSend.removeIf(s -> partitions.contains(s.lease().partition()));
        }
    }
}
