package dev.sandq.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads the request-reply headers of a job record into a {@link ReplyRoute}. */
public final class RequestHeaders {
    private RequestHeaders() {
    }

    /**
     * @param defaultReplyTopic the worker's results topic
     * @param jobTopic, jobPartition, jobOffset the record's coordinates, for the fallback key
     */
    public static RouteOutcome route(Headers headers, String defaultReplyTopic,
                                     String jobTopic, int jobPartition, long jobOffset) {
        byte[] correlationId = lastValue(headers, WireHeaders.CORRELATION_ID);
        String topic = defaultReplyTopic;
        byte[] topicBytes = lastValue(headers, WireHeaders.REPLY_TOPIC);
        if (topicBytes != null) {
            try {
                topic = JobParser.strictUtf8(topicBytes);
            } catch (CharacterCodingException e) {
                return new RouteOutcome.Unroutable("The kafka_replyTopic header is not valid UTF-8.");
            }
            if (!org.apache.kafka.common.internals.Topic.isValid(topic)) {
                return new RouteOutcome.Unroutable("The kafka_replyTopic header '" + topic + "' is not a valid topic name.");
            }
        }
        Integer partition = null;
        byte[] partitionBytes = lastValue(headers, WireHeaders.REPLY_PARTITION);
        if (partitionBytes != null) {
            if (partitionBytes.length != Integer.BYTES) {
                return new RouteOutcome.Unroutable("The kafka_replyPartition header must be a 4-byte big-endian int, got "
                        + partitionBytes.length + " bytes.");
            }
            partition = ByteBuffer.wrap(partitionBytes).getInt();
            if (partition < 0) {
                return new RouteOutcome.Unroutable("The kafka_replyPartition header is negative: " + partition + ".");
            }
        }
        byte[] key = correlationId != null
                ? correlationId
                : (jobTopic + "-" + jobPartition + "-" + jobOffset).getBytes(StandardCharsets.UTF_8);
        return new RouteOutcome.Routable(new ReplyRoute(topic, partition, key, correlationId));
    }

    private static byte[] lastValue(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : h.value();
    }
}
