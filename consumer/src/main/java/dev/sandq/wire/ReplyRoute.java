package dev.sandq.wire;

/**
 * Where and under which key a job's reply goes.
 *
 * @param topic          reply topic (kafka_replyTopic, else the worker's results topic)
 * @param partition      kafka_replyPartition when given, else null (the key decides)
 * @param key            correlation id bytes, else the job id's UTF-8, else "topic-partition-offset"
 * @param correlationId  the kafka_correlationId header's bytes verbatim, or null
 */
public record ReplyRoute(String topic, Integer partition, byte[] key, byte[] correlationId) {

    /** The same route keyed by the job's id (when the job has no correlation id). */
    public ReplyRoute withJobIdKey(String jobId) {
        if (correlationId != null || jobId == null) {
            return this;
        }
        return new ReplyRoute(topic, partition, jobId.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }
}
