package dev.sandq.worker;

import dev.sandq.executor.Sandbox;
import dev.sandq.wire.JobParser;
import dev.sandq.worker.topics.MissingTopicException;
import dev.sandq.worker.topics.TopicCheck;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The sandq worker: one poll thread owns the consumer ({@link PollLoop}); N slot threads run
 * jobs ({@link SlotDispatcher}). Records of a partition finish out of order; per partition only
 * the lowest unanswered offset is committed ({@link OffsetLedger}). Partitions are paused while
 * the slots (and the prefetch) are full ({@link FlowControl}), so poll() keeps running and a long
 * job never exceeds max.poll.interval.ms. How answers and offsets reach Kafka is the delivery
 * mode's ({@link DeliveryStrategy}): at-least-once, a slot produces the reply and waits for the
 * broker's acknowledgement before the poll thread may commit its offset; exactly-once, the poll
 * thread produces replies and offsets in one transaction; queue, a share group hands records to
 * any number of workers and each record is acknowledged on its own ({@link QueueDelivery}).
 *
 * <p>The worker binds its own meters, its Kafka clients' and the JVM's ({@link JvmMetrics}) to
 * the registry it is given: one registry per worker.
 */
public final class Worker implements AutoCloseable {
    private final WorkerConfig config;
    private final WorkerState state;
    private final SandboxGuard guard;
    private final JobSource jobs;
    private final PollLoop loop;

    private Worker(WorkerConfig config, Sandbox sandbox, Clock clock, MeterRegistry registry, Admin admin,
                   int maxReplyBytes, ShareGroupSettings shareGroup) {
        this.config = config;
        this.state = new WorkerState(clock);
        this.guard = new SandboxGuard(sandbox, config.circuitOpenFor(), config.circuitMinimumCalls(), clock);
        WorkerMetrics metrics = new WorkerMetrics(registry);
        JobProcessor processor = new JobProcessor(new JobParser(config.maxCodeBytes(), config.maxInputBytes()), guard,
                new TopicDirectory(admin, clock),
                new ReplyRecords(maxReplyBytes, config.topics().deadLetters(), config.groupId()),
                config.topics().results(), config.workerId(), config.jobAttempts(), shareGroup.deliveryLimit(), clock);
        DeliveryStrategy delivery = DeliveryStrategy.open(config, metrics, clock, shareGroup);
        this.jobs = delivery.jobs();
        SlotDispatcher slots = new SlotDispatcher(config.slots(), processor, delivery, state::draining, metrics, clock);
        FlowControl flow = new FlowControl(jobs, config.slots() + config.prefetch());
        metrics.gauges(guard::busySlots, flow::pausedPartitions, () -> guard.admitting() ? 0 : 1,
                slots::inFlightGauge);
        metrics.sandboxCounters(guard);
        JvmMetrics jvm = JvmMetrics.bindTo(registry);
        List<AutoCloseable> closeAtEnd = new java.util.ArrayList<>(List.of(delivery));
        if (config.deliveryMode() == DeliveryMode.QUEUE) {
            closeAtEnd.add(ShareGroupLag.start(admin, config.groupId(), config.topics().jobs(), registry));
        }
        closeAtEnd.addAll(List.of(admin, jvm));
        this.loop = new PollLoop(config, clock, state, delivery, slots, flow, guard, closeAtEnd);
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
            ShareGroupSettings shareGroup = config.deliveryMode() == DeliveryMode.QUEUE
                    ? ShareGroupSettings.read(admin, config.groupId())
                    : ShareGroupSettings.NONE;
            if (config.deliveryMode() == DeliveryMode.QUEUE) {
                LaneCoverage.check(admin, config.topics().jobs(), config.slots() + config.prefetch());
            }
            return new Worker(config, sandbox, clock, registry, admin, maxReply, shareGroup);
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
        loop.run();
    }

    /** Starts {@link #run()} on a new thread named sandq-poll. */
    public Thread start() {
        Thread t = new Thread(this::run, "sandq-poll-" + config.workerId());
        t.start();
        return t;
    }

    /** Stop fetching, drain in-flight jobs up to the drain timeout, commit, leave the group. Any thread. */
    public void requestStop() {
        state.requestStop();
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return state.awaitStopped(timeout);
    }

    /** Ready for jobs: running, not stopping, sandbox circuit not open. */
    public boolean ready() {
        return state.ready(guard.admitting());
    }

    /** Alive: the poll loop ran recently. */
    public boolean healthy() {
        return state.healthy();
    }

    /** The fatal error that stopped the worker, or null. */
    public Throwable failure() {
        return state.failure();
    }

    /** How many times the group's rebalance callbacks ran (tests: a long job causes none). */
    public int rebalanceCallbacks() {
        return jobs.rebalanceCallbacks();
    }

    public int assignedPartitions() {
        return jobs.assignedPartitions();
    }

    @Override
    public void close() throws InterruptedException {
        requestStop();
        awaitStopped(config.drainTimeout().plusSeconds(30));
    }
}
