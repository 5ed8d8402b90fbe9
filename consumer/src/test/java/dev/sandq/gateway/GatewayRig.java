package dev.sandq.gateway;

import dev.sandq.broker.EmbeddedKafkaBroker;
import dev.sandq.deps.Dependencies;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Await;
import dev.sandq.worker.Worker;
import dev.sandq.worker.WorkerConfig;
import dev.sandq.worker.topics.TopicApplier;
import dev.sandq.worker.topics.TopicCatalogue;
import dev.sandq.worker.topics.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * A real KRaft broker, a worker with the real sandbox, the reply client, and gateways on loopback
 * that list the packages under {@link #packages} as `sandq gateway` does (dev.sandq.deps). With
 * the network allowed, the worker is `sandq up`'s by default: jobs with enable_network go out
 * through its egress proxy and the standard egress policy.
 */
final class GatewayRig implements AutoCloseable {
    static final String KEY = "test-api-key";

    final Path dir;
    final EmbeddedKafkaBroker broker;
    final TopicNames topics = TopicNames.withPrefix("gw");
    final Sandbox sandbox;
    final Worker worker;
    final KafkaJobClient client;
    final Path packages;

    GatewayRig() throws Exception {
        this(false);
    }

    GatewayRig(boolean networkAllowed) throws Exception {
        dir = Files.createTempDirectory("sandq-gateway-test");
        packages = Files.createDirectories(dir.resolve("packages"));
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            new TopicApplier(admin).apply(TopicCatalogue.load(topics).withPartitions(2));
        }
        sandbox = LocalSandbox.create(SandboxConfig.builder().slots(2).networkAllowed(networkAllowed).build());
        worker = Worker.create(WorkerConfig.builder(broker.bootstrapServers()).topics(topics).groupId("gw-workers")
                .slots(2).workerId("gw-worker").drainTimeout(Duration.ofSeconds(10)).build(),
                sandbox, Clock.systemUTC(), new SimpleMeterRegistry());
        worker.start();
        client = KafkaJobClient.start(Map.of("bootstrap.servers", broker.bootstrapServers()), topics.jobs(),
                topics.results());
        Await.until(Duration.ofSeconds(60), worker::ready, () -> "the worker ready");
    }

    DifyGateway gateway(int maxRequests, GatewayConfig.NetworkRequests network) throws Exception {
        return gateway(b -> b.maxRequests(maxRequests).timeout(Duration.ofSeconds(60)).networkRequests(network));
    }

    /** A gateway on loopback with the defaults of `sandq gateway` and what {@code settings} changes. */
    DifyGateway gateway(Consumer<GatewayConfig.Builder> settings) throws Exception {
        return gateway(client, settings);
    }

    /** The same, sending its jobs with {@code kafka}. */
    DifyGateway gateway(KafkaJobClient kafka, Consumer<GatewayConfig.Builder> settings) throws Exception {
        GatewayConfig.Builder builder = GatewayConfig.builder(KEY).listen(new InetSocketAddress("127.0.0.1", 0));
        settings.accept(builder);
        return DifyGateway.start(builder.build(), kafka, Dependencies.forRoot(packages)::list, Clock.systemUTC());
    }

    static URI uri(DifyGateway gateway, String path) {
        return URI.create("http://127.0.0.1:" + gateway.address().getPort() + path);
    }

    @Override
    public void close() throws Exception {
        client.close();
        worker.close();
        sandbox.close();
        broker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
