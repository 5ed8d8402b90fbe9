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

/** Turns a reply into the record that carries it, shortened when it would not fit in one record. */
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

    Delivery reply(ConsumerRecord<byte[], byte[]> job, ReplyRoute route, JobReply reply, String language) {
        byte[] value = JobReplyCodec.toJson(reply);
        List<ProducerRecord<byte[], byte[]>> fallbacks = new ArrayList<>();
        JobReply cut = reply.withOutputCut(0, "The reply was too large for one record; its output was dropped.");
        if (fits(route, value)) {
            fallbacks.add(record(route, JobReplyCodec.toJson(cut)));
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
                        + value.length + " bytes, over the limit of " + maxRecordBytes + " bytes."));
            }
        }
        fallbacks.add(deadLetterRecord(job, new ReplyTooLargeException(
                "The broker refused the reply to " + route.topic() + " as too large.")));
        return new Delivery(record(route, value), fallbacks, language, reply.status());
    }

    Delivery deadLetter(ConsumerRecord<byte[], byte[]> job, Exception reason) {
        return new Delivery(deadLetterRecord(job, reason), List.of(), "unknown", null);
    }

    private ProducerRecord<byte[], byte[]> deadLetterRecord(ConsumerRecord<byte[], byte[]> job, Exception reason) {
        return DeadLetters.of(job, deadLetterTopic, consumerGroup, reason.getClass().getName(), reason.getMessage());
    }

    private boolean fits(ReplyRoute route, byte[] value) {
        return (long) value.length + route.key().length + OVERHEAD <= maxRecordBytes;
    }

    private static ProducerRecord<byte[], byte[]> record(ReplyRoute route, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        if (route.correlationId() != null) {
            headers.add(WireHeaders.CORRELATION_ID, route.correlationId());
        }
        return new ProducerRecord<>(route.topic(), route.partition(), route.key(), value, headers);
    }
}
