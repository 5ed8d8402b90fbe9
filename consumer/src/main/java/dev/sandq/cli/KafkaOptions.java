package dev.sandq.cli;

import dev.sandq.worker.topics.TopicNames;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every Kafka-facing command shares: where the cluster is, client properties, topic names. */
public final class KafkaOptions {
    /** Where `sandq up` puts its embedded broker by default; the other commands look there when told nothing. */
    static final String LOCAL = "127.0.0.1:9092";

    @Option(names = "--bootstrap-servers", defaultValue = "${env:SANDQ_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env SANDQ_BOOTSTRAP_SERVERS; default " + LOCAL
                    + ", where `sandq up` starts its broker; for `sandq up` itself: none, start the embedded broker).")
    String bootstrapServers;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "Kafka client property, passed to every client unchanged (repeatable).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--jobs-topic", defaultValue = "${env:SANDQ_JOBS_TOPIC:-sandq.jobs}",
            description = "Topic the jobs arrive on (default: ${DEFAULT-VALUE}).")
    String jobsTopic;

    @Option(names = "--results-topic", defaultValue = "${env:SANDQ_RESULTS_TOPIC:-sandq.results}",
            description = "Topic of the replies when a job names no kafka_replyTopic (default: ${DEFAULT-VALUE}).")
    String resultsTopic;

    @Option(names = "--dlt-topic", defaultValue = "${env:SANDQ_DLT_TOPIC:-sandq.jobs.dlt}",
            description = "Dead-letter topic for records that cannot be answered (default: ${DEFAULT-VALUE}).")
    String dltTopic;

    public TopicNames topics() {
        return new TopicNames(jobsTopic, resultsTopic, dltTopic);
    }

    public boolean hasBootstrapServers() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }

    /** The given bootstrap servers, else {@link #LOCAL}. */
    public String bootstrapServersOrLocal() {
        return hasBootstrapServers() ? bootstrapServers : LOCAL;
    }

    /** The {@code -X} properties as given, without bootstrap.servers. */
    public Map<String, String> kafkaProperties() {
        return Map.copyOf(kafkaProperties);
    }

    /** The {@code -X} properties plus bootstrap.servers ({@link #bootstrapServersOrLocal()}). */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new LinkedHashMap<>(kafkaProperties);
        p.put("bootstrap.servers", bootstrapServersOrLocal());
        return p;
    }
}
