package dev.sandq.cli;

import dev.sandq.gateway.DifyGateway;
import dev.sandq.gateway.GatewayConfig;
import dev.sandq.gateway.KafkaJobClient;
import dev.sandq.deps.Dependencies;
import dev.sandq.gateway.DependencyLister;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `sandq gateway`: DifySandbox's HTTP API on top of Kafka. Point Dify's CODE_EXECUTION_ENDPOINT
 * at it (and CODE_EXECUTION_API_KEY at --api-key); every run becomes a job on the jobs topic and
 * is answered by whichever worker takes it. (`sandq bench-gateway`, a development command,
 * measures it against the same jobs sent straight to Kafka.)
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Serve DifySandbox's API (/v1/sandbox/run, dependencies, /health) on top of Kafka.")
public final class GatewayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--listen", defaultValue = "0.0.0.0:8194", paramLabel = "[HOST:]PORT",
            description = "Where to serve (default ${DEFAULT-VALUE}, DifySandbox's port).")
    String listen;

    @Option(names = "--api-key", description = "The X-Api-Key Dify sends (its CODE_EXECUTION_API_KEY). Required.")
    String apiKey;

    @Option(names = "--max-requests", defaultValue = "50",
            description = "Runs in flight at once; more are answered 503 (default ${DEFAULT-VALUE}).")
    int maxRequests;

    @Option(names = "--timeout", defaultValue = "PT60S",
            description = "How long a run waits for its reply, and the job's deadline (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--network-requests", defaultValue = "forward", paramLabel = "forward|strip",
            description = "forward: pass a run's enable_network to the workers (those without networking answer -400); "
                    + "strip: always run without network. Dify always asks for network.")
    String networkRequests;

    @Option(names = "--packages-dir", defaultValue = "/var/lib/sandq/packages",
            description = "Where `sandq deps install` installed the packages listed by /v1/sandbox/dependencies.")
    Path packagesDir;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config;
        try {
            GatewayConfig.NetworkRequests network = switch (networkRequests.toLowerCase(Locale.ROOT)) {
                case "forward" -> GatewayConfig.NetworkRequests.FORWARD;
                case "strip" -> GatewayConfig.NetworkRequests.STRIP;
                default -> throw new IllegalArgumentException("--network-requests must be forward or strip, got '"
                        + networkRequests + "'");
            };
            if (apiKey == null || apiKey.isEmpty()) {
                throw new IllegalArgumentException("give the API key Dify sends: --api-key or SANDQ_API_KEY");
            }
            config = GatewayConfig.builder(apiKey).listen(GatewayConfig.parseListen(listen)).maxRequests(maxRequests)
                    .timeout(timeout).networkRequests(network).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        var props = kafka.clientProperties();
        var err = spec.commandLine().getErr();
        try (KafkaJobClient client = KafkaJobClient.start(props, kafka.jobsTopic, kafka.resultsTopic);
             DifyGateway gateway = DifyGateway.start(config, client, installedPackages(packagesDir),
                     Clock.systemUTC())) {
            err.println("sandq gateway: DifySandbox API on http://" + gateway.address().getHostString() + ":"
                    + gateway.address().getPort() + " (jobs to " + kafka.jobsTopic + ", replies from "
                    + kafka.resultsTopic + ")");
            err.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "sandq-gateway-stop"));
            stop.await();
            return 0;
        }
    }

    /** The packages `sandq deps` installed under {@code root}, as dev.sandq.deps lists them. */
    static DependencyLister installedPackages(Path root) {
        return Dependencies.forRoot(root.toAbsolutePath())::list;
    }
}
