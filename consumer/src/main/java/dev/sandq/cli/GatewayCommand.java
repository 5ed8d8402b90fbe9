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
            description = "Where to serve (default ${DEFAULT-VALUE}, DifySandbox's port; DifySandbox's SANDBOX_PORT "
                    + "sets the port).")
    String listen;

    @Option(names = "--api-key",
            description = "The X-Api-Key Dify sends (its CODE_EXECUTION_API_KEY; DifySandbox's API_KEY). Required.")
    String apiKey;

    @Option(names = "--max-requests", defaultValue = "50",
            description = "Runs in flight at once; more are answered 503 (default ${DEFAULT-VALUE}; DifySandbox's "
                    + "MAX_REQUESTS).")
    int maxRequests;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "How long a run waits for its reply before it is answered 'no sandq worker answered' "
                    + "(ISO-8601). Default: the jobs' --wall-time-ms plus 30 s for the wait in the jobs topic, at most "
                    + "--client-read-timeout less 5 s (PT45S with the defaults), so that Dify gets every answer, an "
                    + "error included, before it gives up.")
    Duration timeout;

    @Option(names = "--client-read-timeout", defaultValue = "PT60S", paramLabel = "DURATION",
            description = "How long the client waits for an answer: Dify's CODE_EXECUTION_READ_TIMEOUT (default "
                    + "${DEFAULT-VALUE}, Dify's). The default --timeout ends 5 s before it.")
    Duration clientReadTimeout;

    @Option(names = "--network-requests", defaultValue = "forward", paramLabel = "forward|strip|refuse",
            description = "What to do with a run's enable_network, which Dify always sends true. forward (default): "
                    + "the job asks for the network; workers that do not allow it (no --allow-network) answer -400, "
                    + "naming the flags. strip: every job runs without the network. refuse: a run asking for it is "
                    + "answered -400, as DifySandbox with ENABLE_NETWORK=false.")
    String networkRequests;

    @Option(names = "--enable-preload", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Runs a run's preload before its code, in the job's sandbox. Default: dropped, as "
                    + "DifySandbox drops it unless ENABLE_PRELOAD (Dify's Jinja2 preload only warms Jinja2).")
    boolean enablePreload;

    @Option(names = "--wall-time-ms", paramLabel = "MS", defaultValue = "15000",
            description = "Wall-clock limit of each of Dify's jobs (default ${DEFAULT-VALUE}: Dify's compose sets "
                    + "DifySandbox's WORKER_TIMEOUT=15). Workers cut it to their --max-wall-time-ms.")
    long wallTimeMs;

    @Option(names = "--cpu-time-ms", paramLabel = "MS",
            description = "CPU time of each of Dify's jobs (default: --wall-time-ms).")
    Long cpuTimeMs;

    @Option(names = "--memory-mb", paramLabel = "MIB", defaultValue = "1024",
            description = "Memory of each of Dify's jobs, in MiB (default ${DEFAULT-VALUE}; DifySandbox sets none). "
                    + "Workers cut it to their --max-memory-mb.")
    long memoryMb;

    @Option(names = "--output-bytes", paramLabel = "BYTES", defaultValue = "8388608",
            description = "Output (stdout and stderr) each of Dify's jobs may write (default ${DEFAULT-VALUE}, 8 MiB; "
                    + "DifySandbox sets none). Workers cut it to their --max-output-bytes.")
    long outputBytes;

    @Option(names = "--max-code-bytes", paramLabel = "BYTES", defaultValue = "8388608",
            description = "Largest program (Dify's code, with its inputs in it) a run may carry, in UTF-8 bytes; a "
                    + "larger one is answered -400 naming both sizes (default ${DEFAULT-VALUE}, 8 MiB). Workers "
                    + "take up to their --max-code-bytes and --max-input-bytes (the same by default).")
    long maxCodeBytes;

    @Option(names = "--max-body-bytes", paramLabel = "BYTES", defaultValue = "20971520",
            description = "Largest HTTP request body (default ${DEFAULT-VALUE}, 20 MiB: the largest program "
                    + "JSON-escaped); a larger one is answered -400 naming the limit.")
    long maxBodyBytes;

    @Option(names = "--packages-dir", defaultValue = "/var/lib/sandq/packages",
            description = "Where `sandq deps install` installed the packages listed by /v1/sandbox/dependencies.")
    Path packagesDir;

    /** The gateway's configuration from the options; a bad one is a usage error naming the value. */
    GatewayConfig config() {
        try {
            GatewayConfig.NetworkRequests network = switch (networkRequests.toLowerCase(Locale.ROOT)) {
                case "forward" -> GatewayConfig.NetworkRequests.FORWARD;
                case "strip" -> GatewayConfig.NetworkRequests.STRIP;
                case "refuse" -> GatewayConfig.NetworkRequests.REFUSE;
                default -> throw new IllegalArgumentException("--network-requests must be forward, strip or refuse, got '"
                        + networkRequests + "'");
            };
            if (apiKey == null || apiKey.isEmpty()) {
                throw new IllegalArgumentException("give the API key Dify sends: --api-key or SANDQ_API_KEY "
                        + "(or DifySandbox's API_KEY)");
            }
            return GatewayConfig.builder(apiKey).listen(GatewayConfig.parseListen(listen)).maxRequests(maxRequests)
                    .timeout(timeout).clientReadTimeout(clientReadTimeout).networkRequests(network)
                    .enablePreload(enablePreload)
                    .jobLimits(new GatewayConfig.JobLimits(wallTimeMs, cpuTimeMs == null ? wallTimeMs : cpuTimeMs,
                            memoryMb, outputBytes))
                    .maxCodeBytes(maxCodeBytes).maxBodyBytes(maxBodyBytes).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = config();
        var props = kafka.clientProperties();
        var err = spec.commandLine().getErr();
        EnvironmentDefaults.difySandboxNotes(spec).forEach(note -> err.println("sandq gateway: DifySandbox's "
                + "environment: " + note));
        config.timeoutWarning().ifPresent(warning -> err.println("sandq gateway: warning: " + warning));
        KafkaJobClient started;
        try {
            started = KafkaJobClient.start(props, kafka.jobsTopic, kafka.resultsTopic);
        } catch (KafkaJobClient.MissingTopicsException e) {
            err.println("sandq gateway: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        try (KafkaJobClient client = started;
             DifyGateway gateway = DifyGateway.start(config, client, installedPackages(packagesDir),
                     Clock.systemUTC())) {
            err.println("sandq gateway: DifySandbox API on http://" + gateway.address().getHostString() + ":"
                    + gateway.address().getPort() + " (jobs to " + kafka.jobsTopic + ", replies from "
                    + kafka.resultsTopic + "; jobs of up to " + client.maxJobBytes() + " bytes)");
            GatewayConfig.JobLimits l = config.jobLimits();
            err.println("sandq gateway: each job: wall " + l.wallTimeMs() + " ms, CPU " + l.cpuTimeMs() + " ms, memory "
                    + l.memoryMb() + " MiB, output " + l.outputBytes() + " bytes, programs up to " + config.maxCodeBytes()
                    + " bytes; a run waits at most " + config.timeout().toMillis() + " ms (the client waits "
                    + config.clientReadTimeout().toMillis() + " ms); enable_network: "
                    + config.networkRequests().name().toLowerCase(Locale.ROOT) + "; preload: "
                    + (config.enablePreload() ? "run" : "dropped"));
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
