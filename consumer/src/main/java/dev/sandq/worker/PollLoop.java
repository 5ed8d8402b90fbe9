package dev.sandq.worker;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll thread's loop. Each turn: poll; hand the records to the slots; collect what the slots
 * finished; let the delivery mode commit; run deferred jobs again; pause or resume fetching.
 * A stop request starts the drain: nothing more is taken, and the loop ends when the slots are
 * idle or the drain timeout passed. Then the slots stop, what is complete is committed, and the
 * clients close.
 */
final class PollLoop {
    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);

    private final WorkerConfig config;
    private final Clock clock;
    private final WorkerState state;
    private final DeliveryStrategy delivery;
    private final JobSource jobs;
    private final SlotDispatcher slots;
    private final FlowControl flow;
    private final SandboxGuard guard;
    private final List<AutoCloseable> closeAtEnd;

    /** @param closeAtEnd closed, in order, when the loop has ended */
    PollLoop(WorkerConfig config, Clock clock, WorkerState state, DeliveryStrategy delivery, SlotDispatcher slots,
             FlowControl flow, SandboxGuard guard, List<AutoCloseable> closeAtEnd) {
        this.config = config;
        this.clock = clock;
        this.state = state;
        this.delivery = delivery;
        this.jobs = delivery.jobs();
        this.slots = slots;
        this.flow = flow;
        this.guard = guard;
        this.closeAtEnd = List.copyOf(closeAtEnd);
    }

    void run() {
        state.started();
        Instant drainDeadline = null;
        try {
            // Inside the try: a subscription that fails still closes the clients and ends the worker.
            jobs.subscribe(config.topics().jobs(), this::commitCompleted);
            LOG.info("worker {} consuming {} with {} slots ({})", config.workerId(), config.topics().jobs(),
                    config.slots(), config.deliveryMode().wireName());
            while (true) {
                if (state.stopRequested() && !state.draining()) {
                    state.drain();
                    drainDeadline = clock.instant().plus(config.drainTimeout());
                    LOG.info("stopping: draining {} in-flight job(s) for up to {}", slots.inFlight(),
                            config.drainTimeout());
                }
                ConsumerRecords<byte[], byte[]> records = jobs.poll(config.pollTimeout());
                long polledAt = System.nanoTime();
                state.polled();
                if (!state.draining()) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        jobs.take(r, polledAt).ifPresent(slots::dispatch);
                    }
                }
                handleCompletions();
                if (state.failed()) {
                    break;
                }
                commitProgress();
                if (state.failed()) {
                    break;
                }
                if (!state.draining() && guard.admitting()) {
                    slots.resubmitDeferred(jobs::owns);
                }
                flow.update(state.draining(), guard.openUntil(), slots.held());
                if (state.draining() && (slots.inFlight() == 0 || !clock.instant().isBefore(drainDeadline))) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("the poll loop failed", e);
            state.fail(e);
        } finally {
            shutdown();
        }
    }

    private void handleCompletions() {
        slots.collect(c -> {
            if (c instanceof Completion.Failed f) {
                state.fail(f.cause());
            }
            if (!jobs.owns(c.job().lease())) {
                return;
            }
            if (c instanceof Completion.Deferred d && !state.draining()) {
                slots.defer(d);
            }
            delivery.completed(c);
        });
        slots.keepDeferred(jobs::owns);
    }

    private void commitProgress() {
        try {
            delivery.commitProgress();
        } catch (DeliveryFailedException e) {
            state.fail(e.getCause());
        }
    }

    /**
     * Collects what the slots finished, then commits what is complete in {@code partitions}: all
     * of them when the worker stops, the revoked ones before a rebalance takes them away.
     */
    private void commitCompleted(Collection<TopicPartition> partitions) {
        handleCompletions();
        if (state.failed()) {
            return;
        }
        try {
            delivery.commitNow(partitions);
        } catch (DeliveryFailedException e) {
            state.fail(e.getCause());
        } catch (KafkaException e) {
            LOG.warn("commit of what is complete in {} failed: {}", partitions, e.toString());
        }
    }

    private void shutdown() {
        state.drain();
        try {
            slots.stop();
            commitCompleted(jobs.partitions());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("final commit failed: {}", e.toString());
        } finally {
            closeAtEnd.forEach(QuietClose::close);
            LOG.info("worker {} stopped{}", config.workerId(),
                    state.failed() ? " after a fatal error: " + state.failure() : "");
            state.stopped();
        }
    }
}
