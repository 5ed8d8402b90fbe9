package dev.sandq.devkit;

import dev.sandq.cli.KafkaOptions;
import dev.sandq.gateway.DifyGateway;
import dev.sandq.gateway.GatewayConfig;
import dev.sandq.gateway.KafkaJobClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `sandq bench-gateway`: the Dify gateway's overhead ({@link GatewayBench}). Starts a gateway on
 * loopback, as `sandq gateway` does, then sends the same trivial job alternately through its
 * {@code /v1/sandbox/run} and straight to Kafka; needs a running worker. (This was
 * `sandq gateway --bench N`, which the production gateway no longer carries.)
 */
@Command(name = "bench-gateway", mixinStandardHelpOptions = true,
        description = "Measure the Dify gateway: N trivial jobs through a gateway started here and N straight to "
                + "Kafka, alternately (needs a running worker).")
final class GatewayBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--jobs", defaultValue = "200", paramLabel = "N",
            description = "Measured jobs per path (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--warmup", defaultValue = "20", description = "Unmeasured jobs per path first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--timeout", defaultValue = "PT60S",
            description = "How long a job may wait for its reply (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config;
        try {
            if (jobs < 1 || warmup < 0) {
                throw new IllegalArgumentException("--jobs must be >= 1 and --warmup >= 0, got " + jobs + " and " + warmup);
            }
            config = new GatewayConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    "bench-" + UUID.randomUUID(), 1, timeout, GatewayConfig.NetworkRequests.FORWARD);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (KafkaJobClient client = KafkaJobClient.start(kafka.clientProperties(), kafka.topics().jobs(),
                kafka.topics().results());
             DifyGateway gateway = DifyGateway.start(config, client, language -> List.of(), Clock.systemUTC())) {
            URI self = URI.create("http://127.0.0.1:" + gateway.address().getPort());
            GatewayBench.print(new GatewayBench(self, config.apiKey(), client, timeout).measure(jobs, warmup),
                    spec.commandLine().getOut());
        }
        return 0;
    }
}
