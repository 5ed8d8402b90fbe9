package dev.sandq.devkit;

import dev.sandq.broker.EmbeddedKafkaBroker;
import dev.sandq.cli.ExitCodes;
import dev.sandq.cli.KafkaOptions;
import dev.sandq.cli.WorkerCommand;
import dev.sandq.executor.Sandbox;
import dev.sandq.worker.DeliveryMode;
import dev.sandq.worker.topics.ShareGroupApplier;
import dev.sandq.worker.topics.TopicApplier;
import dev.sandq.worker.topics.TopicCatalogue;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `sandq up`: the worker, plus an in-process single-node KRaft broker when no bootstrap servers
 * are given. Order: check the sandbox (exit 3 with the reason when this host cannot isolate;
 * nothing else is started), start the broker, apply the topics (and, with --delivery queue, the
 * share group's configs), run the worker. SIGTERM or
 * Ctrl-C drains the worker, then stops the broker; exit 0. The broker's data directory is kept
 * (the next `sandq up` reuses its topics and offsets); delete it to start afresh.
 *
 * <p>Unlike `sandq worker`, it lets jobs with enable_network run by default (--no-allow-network
 * rejects them): Dify always asks for the network, and DifySandbox with Dify's defaults has it, so
 * `sandq up` plus `sandq gateway` answer Dify as DifySandbox would. Such jobs still go out only
 * through the worker's egress proxy, which refuses private, loopback, link-local, metadata and this
 * host's own addresses (docs/security.md).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a worker (and an embedded Kafka broker when no bootstrap servers are given).")
public final class UpCommand implements Callable<Integer> {
    @Mixin
    WorkerCommand worker = new WorkerCommand();

    @Option(names = "--data-dir", defaultValue = "${env:SANDQ_DATA_DIR:-.sandq/kafka}",
            description = "Where the embedded broker keeps its data (kept when it stops).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "${env:SANDQ_KAFKA_PORT:-9092}",
            description = "Port of the embedded broker (0 = any free port).")
    int port;

    @Option(names = "--partitions", paramLabel = "P",
            description = "Partitions of topics created here (default: 4; 1 with --delivery queue, whose share group "
                    + "spreads one partition over all its workers' lanes: each share fetch then names one partition).")
    Integer partitions;

    /** The partitions of the topics this command creates, as given or by the delivery mode. */
    int partitions(DeliveryMode mode) {
        return partitions != null ? partitions : defaultPartitions(mode);
    }

    /**
     * 4 for the consumer-group modes; 1 for queue mode, whose share group spreads a partition over
     * all its lanes. The embedded broker's assignor gives every lane every partition, so more would
     * hold back no job, but each share fetch would name them all (docs/operating.md, queue mode).
     */
    static int defaultPartitions(DeliveryMode mode) {
        return mode == DeliveryMode.QUEUE ? 1 : 4;
    }

    @Override
    public Integer call() throws Exception {
        KafkaOptions kafka = worker.kafka();
        worker.allowNetworkByDefault();
        worker.validate();
        if (partitions != null && partitions < 1) {
            System.err.println("sandq up: --partitions must be >= 1, got " + partitions);
            return ExitCodes.USAGE;
        }
        try (Sandbox sandbox = worker.openSandbox()) {
            if (kafka.hasBootstrapServers()) {
                apply(kafka.bootstrapServersOrLocal(), kafka);
                return worker.run(kafka.bootstrapServersOrLocal(), sandbox);
            }
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.toAbsolutePath(), port)) {
                System.err.println("sandq: embedded Kafka broker on " + broker.bootstrapServers()
                        + " (data in " + broker.dataDir() + ")");
                System.out.println("SANDQ_BOOTSTRAP_SERVERS=" + broker.bootstrapServers());
                System.out.flush();
                apply(broker.bootstrapServers(), kafka);
                return worker.run(broker.bootstrapServers(), sandbox);
            } finally {
                System.err.println("sandq: embedded Kafka broker stopped (data kept in " + dataDir.toAbsolutePath()
                        + ")");
            }
        }
    }

    private void apply(String bootstrap, KafkaOptions kafka) throws Exception {
        Map<String, Object> props = new HashMap<>(kafka.kafkaProperties());
        props.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(props)) {
            DeliveryMode mode = worker.deliveryMode();
            TopicCatalogue catalogue = TopicCatalogue.load(kafka.topics()).withPartitions(partitions(mode));
            new TopicApplier(admin).apply(catalogue).forEach(line -> System.err.println("sandq: topic " + line));
            if (mode == DeliveryMode.QUEUE) {
                System.err.println("sandq: " + new ShareGroupApplier(admin).apply(
                        catalogue.shareGroup().named(worker.groupId(mode))));
            }
        }
    }
}
