package dev.sandq.cli;

import dev.sandq.executor.LocalSandbox;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxUnavailableException;
import dev.sandq.worker.DeliveryMode;
import dev.sandq.worker.HealthServer;
import dev.sandq.worker.Worker;
import dev.sandq.worker.WorkerConfig;
import dev.sandq.worker.topics.MissingTopicException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `sandq worker`: consume jobs from an existing cluster until SIGTERM/Ctrl-C, then drain and leave. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run jobs from Kafka in the sandbox and publish their results.")
public final class WorkerCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--group", defaultValue = "${env:SANDQ_GROUP:-sandq-workers}", description = "Consumer group.")
    String group;

    @Option(names = "--slots", defaultValue = "${env:SANDQ_SLOTS:-0}", description = "Jobs at once (0 = one per core).")
    int slots;

    @Option(names = "--drain-timeout", defaultValue = "${env:SANDQ_DRAIN_TIMEOUT:-PT30S}",
            description = "How long a stopping worker lets running jobs finish (ISO-8601, e.g. PT30S).")
    Duration drainTimeout;

    @Option(names = "--delivery", defaultValue = "${env:SANDQ_DELIVERY:-at-least-once}",
            description = "at-least-once or exactly-once.")
    String delivery;

    @Option(names = "--metrics-port", defaultValue = "${env:SANDQ_METRICS_PORT:-9464}",
            description = "Port of /metrics, /healthz, /readyz (-1 = off, 0 = any).")
    int metricsPort;

    @Option(names = "--worker-id", defaultValue = "${env:SANDQ_WORKER_ID}", description = "Default: pid@host.")
    String workerId;

    @Option(names = "--max-code-bytes", defaultValue = "${env:SANDQ_MAX_CODE_BYTES:-1048576}")
    long maxCodeBytes;

    @Mixin
    PackagesDirOption packages = new PackagesDirOption();

    @Override
    public Integer call() throws Exception {
        return run(kafka.requireBootstrapServers(), () -> { });
    }

    /** Runs the worker until SIGTERM/Ctrl-C, then drains it, then runs {@code afterStop} (in the same hook). */
    int run(String bootstrapServers, Runnable afterStop) throws Exception {
        int n = slots > 0 ? slots : Runtime.getRuntime().availableProcessors();
        WorkerConfig.Builder b = WorkerConfig.builder(bootstrapServers)
                .kafkaProperties(kafka.kafkaProperties).groupId(group).topics(kafka.topics()).slots(n)
                .drainTimeout(drainTimeout).deliveryMode(DeliveryMode.parse(delivery))
                .metricsPort(metricsPort).maxCodeBytes(maxCodeBytes);
        if (workerId != null && !workerId.isBlank()) {
            b.workerId(workerId);
        }
        WorkerConfig config = b.build();
        Sandbox sandbox;
        try {
            sandbox = LocalSandbox.create(SandboxConfig.standard().withSlots(n).withPackagesRoot(packages.root()));
        } catch (SandboxUnavailableException e) {
            System.err.println("sandq: this host cannot isolate jobs: " + e.getMessage());
            return 3;
        }
        System.err.println("sandq: installed packages: " + dev.sandq.deps.Dependencies.forRoot(packages.root()).summary());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Worker worker;
        try {
            worker = Worker.create(config, sandbox, Clock.systemUTC(), registry);
        } catch (MissingTopicException e) {
            System.err.println("sandq: " + e.getMessage());
            sandbox.close();
            return 2;
        }
        HealthServer health = config.metricsPort() < 0 ? null
                : HealthServer.start(config.metricsPort(), registry, worker::healthy, worker::ready);
        if (health != null) {
            System.err.println("sandq: /metrics, /healthz, /readyz on port " + health.port());
        }
        Thread stopper = new Thread(() -> {
            worker.requestStop();
            try {
                worker.awaitStopped(config.drainTimeout().plusSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            afterStop.run();
        }, "sandq-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            worker.run();
        } finally {
            if (health != null) {
                health.close();
            }
            sandbox.close();
        }
        return worker.failure() == null ? 0 : 1;
    }
}
