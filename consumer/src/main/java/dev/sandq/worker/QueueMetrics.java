package dev.sandq.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Queue mode's meters: records by what happened to them (sandq_queue_records_total{event}), the
 * broker's answers to acknowledgements (sandq_queue_acknowledgements_total{result}), the delivery
 * count of each record acquired (sandq_queue_delivery_count), the records held now, and the lanes.
 */
final class QueueMetrics {
    /** What happened to a record of the share group, as this worker saw it. */
    enum Event {
        /** Acquired (delivered to this worker; a renewal's re-delivery not counted). */
        ACQUIRED,
        /** Acknowledged ACCEPT: answered. */
        ACCEPTED,
        /** Acknowledged RELEASE: given back for another delivery. */
        RELEASED,
        /** Acknowledged REJECT: can never run (answered rejected, or dead-lettered). */
        REJECTED,
        /** Its acquisition lock renewed (RENEW) while its job ran or waited for a slot. */
        RENEWED,
        /** Its lock was lost before it was answered (a renewal failed): another delivery may answer it too. */
        LOCK_LOST;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<Event, Counter> events = new EnumMap<>(Event.class);
    private final Counter acknowledged;
    private final Counter acknowledgementFailures;
    private final DistributionSummary deliveryCount;
    private final MeterRegistry registry;

    QueueMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Event e : Event.values()) {
            events.put(e, Counter.builder("sandq.queue.records")
                    .description("Share-group records by what happened to them in this worker")
                    .tag("event", e.tag()).register(registry));
        }
        acknowledged = Counter.builder("sandq.queue.acknowledgements")
                .description("Acknowledgements (accept, release, reject, renew) by the broker's answer")
                .tag("result", "ok").register(registry);
        acknowledgementFailures = Counter.builder("sandq.queue.acknowledgements")
                .description("Acknowledgements (accept, release, reject, renew) by the broker's answer")
                .tag("result", "failed").register(registry);
        deliveryCount = DistributionSummary.builder("sandq.queue.delivery.count")
                .description("Delivery count of each record acquired (1: its first delivery)")
                .serviceLevelObjectives(1, 2, 3, 5, 10).register(registry);
    }

    void event(Event e) {
        events.get(e).increment();
    }

    void acquired(int deliveries) {
        events.get(Event.ACQUIRED).increment();
        deliveryCount.record(deliveries);
    }

    void acknowledgements(int count, boolean ok) {
        (ok ? acknowledged : acknowledgementFailures).increment(count);
    }

    /** How many share consumers (lanes, one per slot and prefetched job) this worker reads through. */
    void lanes(int count) {
        Gauge.builder("sandq.queue.lanes", () -> count)
                .description("Share consumers (lanes) of this worker, each a member of the share group holding one "
                        + "record at a time: its slots plus its prefetch")
                .register(registry);
    }

    void held(Supplier<Number> records) {
        Gauge.builder("sandq.queue.records.held", records)
                .description("Share-group records this worker holds the lock of (running, waiting for a slot, or "
                        + "awaiting their acknowledgement)")
                .register(registry);
    }
}
