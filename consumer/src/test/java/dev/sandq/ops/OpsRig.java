package dev.sandq.ops;

import dev.sandq.broker.EmbeddedKafkaBroker;
import dev.sandq.executor.Language;
import dev.sandq.executor.LaunchPath;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Await;
import dev.sandq.worker.HealthServer;
import dev.sandq.worker.Worker;
import dev.sandq.worker.WorkerConfig;
import dev.sandq.worker.topics.TopicApplier;
import dev.sandq.worker.topics.TopicCatalogue;
import dev.sandq.worker.topics.TopicNames;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * What an operator runs, in this JVM: an in-process KRaft broker with the catalogue's topics
 * under their default names, and one real worker (real sandbox, 2 slots) with its
 * /metrics, /healthz, /readyz server — wired as {@code sandq worker} wires them. Shared by the
 * ops tests and started once; the client examples talk to it as they would to production.
 */
final class OpsRig {
    private static OpsRig rig;

    final EmbeddedKafkaBroker broker;
    final Worker worker;
    final HealthServer health;

    private OpsRig(EmbeddedKafkaBroker broker, Worker worker, HealthServer health) {
        this.broker = broker;
        this.worker = worker;
        this.health = health;
    }

    static synchronized OpsRig get() throws Exception {
        if (rig == null) {
            Path dir = Files.createTempDirectory("sandq-ops-kafka");
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                new TopicApplier(admin).apply(TopicCatalogue.load(TopicNames.DEFAULTS).withPartitions(2));
            }
            WorkerConfig config = WorkerConfig.builder(broker.bootstrapServers()).slots(2)
                    .drainTimeout(Duration.ofSeconds(5)).workerId("ops-test").build();
            // The warm paths pinned: the metrics of prestarted sandboxes are part of what is scraped.
            Sandbox sandbox = LocalSandbox.create(SandboxConfig.builder().slots(2)
                    .launchPath(Language.PYTHON3, LaunchPath.ZYGOTE).launchPath(Language.NODEJS, LaunchPath.PRESTARTED)
                    .build());
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Worker worker = Worker.create(config, sandbox, Clock.systemUTC(), registry);
            HealthServer health = HealthServer.start(0, registry, worker::healthy, worker::ready);
            worker.start();
            rig = new OpsRig(broker, worker, health);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    worker.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                health.close();
                sandbox.close();
                broker.close();
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (java.io.IOException e) {
                    // a temp directory: best effort at exit
                }
            }));
            awaitReady(health.port(), Duration.ofSeconds(60));
        }
        return rig;
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + health.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void awaitReady(int port, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build();
        Await.until(timeout, Duration.ofMillis(50),
                () -> http.send(readyz, HttpResponse.BodyHandlers.ofString()).statusCode() == 200,
                () -> "the worker's /readyz to answer 200");
    }
}
