package dev.sandq.cli;

import dev.sandq.worker.topics.TopicNames;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every Kafka-facing command shares: where the cluster is, client properties, topic names. */
public final class KafkaOptions {
    @Option(names = "--bootstrap-servers", defaultValue = "${env:SANDQ_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env SANDQ_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "Kafka client property, passed to every client unchanged (repeatable).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--jobs-topic", defaultValue = "${env:SANDQ_JOBS_TOPIC:-sandq.jobs}")
    String jobsTopic;

    @Option(names = "--results-topic", defaultValue = "${env:SANDQ_RESULTS_TOPIC:-sandq.results}")
    String resultsTopic;

    @Option(names = "--dlt-topic", defaultValue = "${env:SANDQ_DLT_TOPIC:-sandq.jobs.dlt}")
    String dltTopic;

    TopicNames topics() {
        return new TopicNames(jobsTopic, resultsTopic, dltTopic);
    }

    boolean hasBootstrapServers() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }

    String requireBootstrapServers() {
        if (!hasBootstrapServers()) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "no Kafka: give --bootstrap-servers or set SANDQ_BOOTSTRAP_SERVERS");
        }
        return bootstrapServers;
    }

    Map<String, Object> clientProperties() {
        Map<String, Object> p = new LinkedHashMap<>(kafkaProperties);
        p.put("bootstrap.servers", requireBootstrapServers());
        return p;
    }
}
