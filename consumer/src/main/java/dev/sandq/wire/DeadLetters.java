package dev.sandq.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds dead letters as Spring's DeadLetterPublishingRecoverer writes them: original bytes plus kafka_dlt-* headers. */
public final class DeadLetters {
    private DeadLetters() {
    }

    public static ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> original, String dltTopic,
                                                    String consumerGroup, String exceptionFqcn, String message) {
        RecordHeaders headers = new RecordHeaders(original.headers().toArray());
        headers.add(WireHeaders.DLT_ORIGINAL_TOPIC, utf8(original.topic()));
        headers.add(WireHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(original.partition()).array());
        headers.add(WireHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(original.offset()).array());
        headers.add(WireHeaders.DLT_ORIGINAL_TIMESTAMP, ByteBuffer.allocate(8).putLong(original.timestamp()).array());
        headers.add(WireHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE, utf8(original.timestampType().toString()));
        headers.add(WireHeaders.DLT_ORIGINAL_CONSUMER_GROUP, utf8(consumerGroup));
        headers.add(WireHeaders.DLT_EXCEPTION_FQCN, utf8(exceptionFqcn));
        headers.add(WireHeaders.DLT_EXCEPTION_MESSAGE, utf8(message));
        return new ProducerRecord<>(dltTopic, null, original.key(), original.value(), headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
