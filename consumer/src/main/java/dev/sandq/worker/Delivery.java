package dev.sandq.worker;

import dev.sandq.executor.Status;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What answers one job: a record to produce, and what to produce instead, in order, if the
 * broker refuses it as too large (a shortened reply, then a dead letter).
 *
 * @param language   the job's language for metrics, or "unknown"
 * @param status     the reply's status, or null for a dead letter
 * @param timeline   the job's stages so far; delivering it adds produced and acknowledged
 * @param alsoDeadLetter the job's dead letter, produced before the reply, when the job is answered and
 *                   dead-lettered both (queue mode's poison job); null otherwise
 */
record Delivery(ProducerRecord<byte[], byte[]> record, List<ProducerRecord<byte[], byte[]>> fallbacks,
                String language, Status status, JobTimeline timeline,
                ProducerRecord<byte[], byte[]> alsoDeadLetter) {
    Delivery {
        Objects.requireNonNull(record, "record");
        fallbacks = List.copyOf(fallbacks);
        Objects.requireNonNull(timeline, "timeline");
    }

    Delivery(ProducerRecord<byte[], byte[]> record, List<ProducerRecord<byte[], byte[]>> fallbacks, String language,
             Status status, JobTimeline timeline) {
        this(record, fallbacks, language, status, timeline, null);
    }

    /** The same delivery, its job having reached more stages. */
    Delivery withTimeline(JobTimeline next) {
        return new Delivery(record, fallbacks, language, status, next, alsoDeadLetter);
    }

    /** The same reply, the job also dead-lettered as {@code letter}. */
    Delivery alsoDeadLettered(ProducerRecord<byte[], byte[]> letter) {
        return new Delivery(record, fallbacks, language, status, timeline, Objects.requireNonNull(letter, "letter"));
    }

    /** Whether the job is dead-lettered, as its only answer or besides its reply. */
    boolean deadLettered() {
        return deadLetter() || alsoDeadLetter != null;
    }

    boolean deadLetter() {
        return status == null;
    }

    /** The next thing to try after the broker refused this one as too large, or null. */
    Delivery next() {
        if (fallbacks.isEmpty()) {
            return null;
        }
        ProducerRecord<byte[], byte[]> first = fallbacks.get(0);
        boolean isDeadLetter = fallbacks.size() == 1;
        return new Delivery(first, fallbacks.subList(1, fallbacks.size()), language, isDeadLetter ? null : status,
                timeline, isDeadLetter ? null : alsoDeadLetter);
    }
}
