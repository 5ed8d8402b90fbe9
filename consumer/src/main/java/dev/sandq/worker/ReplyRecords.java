package dev.sandq.worker;

import dev.sandq.wire.DeadLetters;
import dev.sandq.wire.JobReply;
import dev.sandq.wire.JobReplyCodec;
import dev.sandq.wire.ReplyRoute;
import dev.sandq.wire.ReplyTooLargeException;
import dev.sandq.wire.WireHeaders;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns a reply into the record that carries it, shortened when it would not fit in one record.
 * The record's headers: the correlation ID, and the job's stages so far ({@link WireHeaders#STAGES}).
 */
final class ReplyRecords {
    /** Room for the record's framing, key and headers besides the value. */
    private static final int OVERHEAD = 1024;

    private final int maxRecordBytes;
    private final String deadLetterTopic;
    private final String consumerGroup;

    ReplyRecords(int maxRecordBytes, String deadLetterTopic, String consumerGroup) {
        this.maxRecordBytes = maxRecordBytes;
        this.deadLetterTopic = deadLetterTopic;
        this.consumerGroup = consumerGroup;
    }

    /**
     * The reply's record, and its fallbacks; each reply record carries the job's stages so far in
     * its {@link WireHeaders#STAGES} header.
     */
    Delivery reply(ConsumerRecord<byte[], byte[]> job, ReplyRoute route, JobReply reply, String language,
                   JobTimeline timeline) {
        byte[] value = JobReplyCodec.toJson(reply);
        byte[] stages = timeline.header();
        List<ProducerRecord<byte[], byte[]>> fallbacks = new ArrayList<>();
        // Files go first: they are what makes a reply large, and the rest says what happened to them.
        JobReply bare = reply;
        if (!reply.files().files().isEmpty()) {
            String files = reply.files().files().size() + " output files (" + reply.files().totalBytes() + " bytes)";
            if (fits(route, value)) {
                bare = reply.withoutFiles("The broker refused the reply of " + value.length + " bytes as too large;"
                        + " its " + files + " were left out.");
                fallbacks.add(record(route, JobReplyCodec.toJson(bare), stages));
            } else {
                bare = reply.withoutFiles("The reply was " + value.length + " bytes, over the limit of "
                        + maxRecordBytes + " bytes for one record; its " + files + " were left out.");
                reply = bare;
                value = JobReplyCodec.toJson(reply);
            }
        }
        JobReply cut = bare.withOutputCut(0, "The reply was too large for one record; its output was dropped.");
        if (fits(route, value)) {
            fallbacks.add(record(route, JobReplyCodec.toJson(cut), stages));
        } else {
            int keep = (int) Math.max(0, Math.min(Integer.MAX_VALUE / 2L,
                    (long) (maxRecordBytes - OVERHEAD - route.key().length) / 8));
            JobReply shortened = reply.withOutputCut(keep,
                    "The reply was too large for one record; stdout and stderr were cut to " + keep + " characters.");
            value = JobReplyCodec.toJson(shortened);
            if (!fits(route, value)) {
                value = JobReplyCodec.toJson(cut);
            }
            if (!fits(route, value)) {
                return deadLetter(job, new ReplyTooLargeException("Even without its output the reply is "
                        + value.length + " bytes, over the limit of " + maxRecordBytes + " bytes."), timeline);
            }
        }
        fallbacks.add(deadLetterRecord(job, new ReplyTooLargeException(
                "The broker refused the reply to " + route.topic() + " as too large.")));
        return new Delivery(record(route, value, stages), fallbacks, language, reply.status(), timeline);
    }

    /** A dead letter is the job's record as it came, with Spring's headers: no stages header. */
    Delivery deadLetter(ConsumerRecord<byte[], byte[]> job, Exception reason, JobTimeline timeline) {
        return new Delivery(deadLetterRecord(job, reason), List.of(), "unknown", null, timeline);
    }

    ProducerRecord<byte[], byte[]> deadLetterRecord(ConsumerRecord<byte[], byte[]> job, Exception reason) {
        return DeadLetters.of(job, deadLetterTopic, consumerGroup, reason.getClass().getName(), reason.getMessage());
    }

    private boolean fits(ReplyRoute route, byte[] value) {
        return (long) value.length + route.key().length + OVERHEAD <= maxRecordBytes;
    }

    private static ProducerRecord<byte[], byte[]> record(ReplyRoute route, byte[] value, byte[] stages) {
        RecordHeaders headers = new RecordHeaders();
        if (route.correlationId() != null) {
            headers.add(WireHeaders.CORRELATION_ID, route.correlationId());
        }
        if (stages.length > 0) {
            headers.add(WireHeaders.STAGES, stages);
        }
        return new ProducerRecord<>(route.topic(), route.partition(), route.key(), value, headers);
    }
}
