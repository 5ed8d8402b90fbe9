package dev.sandq.cli;

import dev.sandq.worker.broker.EmbeddedKafkaBroker;
import dev.sandq.worker.topics.TopicApplier;
import dev.sandq.worker.topics.TopicCatalogue;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `sandq up`: the worker, plus an in-process single-node KRaft broker when no bootstrap servers
 * are given; applies the topics first. Ctrl-C drains the worker, then stops the broker.
 */
@Command(name = "up",
        description = "Start a worker (and an embedded Kafka broker when no bootstrap servers are given).")
public final class UpCommand implements Callable<Integer> {
    @Mixin
    WorkerCommand worker = new WorkerCommand();

    @Option(names = "--data-dir", defaultValue = "${env:SANDQ_DATA_DIR:-.sandq/kafka}",
            description = "Where the embedded broker keeps its data.")
    Path dataDir;

    @Option(names = "--port", defaultValue = "${env:SANDQ_KAFKA_PORT:-9092}",
            description = "Port of the embedded broker (0 = any free port).")
    int port;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of topics created here.")
    int partitions;

    @Override
    public Integer call() throws Exception {
        KafkaOptions kafka = worker.kafka;
        if (kafka.hasBootstrapServers()) {
            apply(kafka.bootstrapServers, kafka.kafkaProperties, kafka);
            return worker.run(kafka.bootstrapServers, () -> { });
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.toAbsolutePath(), port);
        System.err.println("sandq: embedded Kafka broker on " + broker.bootstrapServers()
                + " (data in " + broker.dataDir() + ")");
        System.out.println("SANDQ_BOOTSTRAP_SERVERS=" + broker.bootstrapServers());
        apply(broker.bootstrapServers(), kafka.kafkaProperties, kafka);
        int exit = worker.run(broker.bootstrapServers(), broker::close);
        broker.close();
        return exit;
    }

    private void apply(String bootstrap, Map<String, String> extra, KafkaOptions kafka) throws Exception {
        Map<String, Object> props = new java.util.HashMap<>(extra);
        props.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(props)) {
            new TopicApplier(admin).apply(TopicCatalogue.load(kafka.topics()).withPartitions(partitions))
                    .forEach(line -> System.err.println("sandq: topic " + line));
        }
    }
}
