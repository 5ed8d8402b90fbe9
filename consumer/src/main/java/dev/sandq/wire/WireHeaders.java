package dev.sandq.wire;

/**
 * Header names of the wire contract (Spring Kafka's request-reply and dead-letter conventions),
 * and sandq's own informative one on replies ({@link #STAGES}).
 */
public final class WireHeaders {
    public static final String CORRELATION_ID = "kafka_correlationId";
    public static final String REPLY_TOPIC = "kafka_replyTopic";
    public static final String REPLY_PARTITION = "kafka_replyPartition";

    public static final String DLT_ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    public static final String DLT_ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    public static final String DLT_ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    public static final String DLT_ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";
    public static final String DLT_ORIGINAL_TIMESTAMP_TYPE = "kafka_dlt-original-timestamp-type";
    public static final String DLT_ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";
    public static final String DLT_EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    public static final String DLT_EXCEPTION_MESSAGE = "kafka_dlt-exception-message";

    /** On a reply: when the job passed the worker's stages ({@link StagesHeader}). */
    public static final String STAGES = "sandq_stages";

    private WireHeaders() {
    }
}
