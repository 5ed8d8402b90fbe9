package dev.sandq.worker;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The worker's Kafka client settings: sandq's defaults, then the operator's properties, then what must hold. */
final class KafkaClientProperties {
    /**
     * The largest record the worker's clients handle: the catalogue's jobs and results topics hold
     * 16 MiB, plus room for a record's framing and headers. Replies are cut to the results topic's
     * own limit ({@link ReplyRecords}).
     */
    static final int MAX_RECORD_BYTES = (16 << 20) + (64 << 10);

    private KafkaClientProperties() {
    }

    static Map<String, Object> consumer(WorkerConfig c) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, c.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sandq-worker-" + c.workerId());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(c.slots() + c.prefetch()));
        // A job record may be as large as the catalogue's jobs topic allows (16 MiB): fetch one whole.
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(MAX_RECORD_BYTES));
        p.putAll(c.kafkaProperties());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /**
     * The share consumer of queue mode's lane {@code lane}: explicit acknowledgement, and one
     * record acquired per poll, none ahead of the worker (record_limit): an acquired record's lock
     * runs from its fetch, and a lane holds one job at a time ({@link ShareLane}). The operator's
     * properties that a share consumer refuses (the consumer group's) are left out, so that one
     * set of -X properties serves every mode.
     */
    static Map<String, Object> shareConsumer(WorkerConfig c, int lane) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, c.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sandq-worker-" + c.workerId() + "-lane-" + lane);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(MAX_RECORD_BYTES));
        c.kafkaProperties().forEach((k, v) -> {
            if (!CONSUMER_GROUP_ONLY.contains(k)) {
                p.put(k, v);
            }
        });
        p.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        p.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Consumer properties a share consumer refuses (ShareConsumerConfig): consumer groups' own. */
    static final java.util.Set<String> CONSUMER_GROUP_ONLY = java.util.Set.of(
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);

    /** The same in every delivery mode; a mode adds its own (exactly-once: transactional.id) to the mutable map. */
    static Map<String, Object> producer(WorkerConfig c) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "sandq-replies-" + c.workerId());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(MAX_RECORD_BYTES));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(4L * MAX_RECORD_BYTES));
        p.putAll(c.kafkaProperties());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    static Map<String, Object> admin(WorkerConfig c) {
        return admin(c.bootstrapServers(), c.kafkaProperties());
    }

    static Map<String, Object> admin(String bootstrapServers, Map<String, String> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.putAll(extra);
        return p;
    }
}
