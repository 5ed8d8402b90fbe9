package dev.sandq.cli;

import dev.sandq.deps.Dependencies;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxUnavailableException;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.worker.DeliveryMode;
import dev.sandq.worker.HealthServer;
import dev.sandq.worker.StopSignals;
import dev.sandq.worker.Worker;
import dev.sandq.worker.WorkerConfig;
import dev.sandq.worker.topics.MissingTopicException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `sandq worker`: consume jobs from an existing cluster until SIGTERM/Ctrl-C, then drain, commit,
 * leave the group and exit 0. The sandbox is checked first: exit 3 when this host cannot isolate.
 * Also the mixin of devkit's `sandq up`, which runs the same worker through the public methods.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run jobs from Kafka in the sandbox and publish their results.")
public final class WorkerCommand implements Callable<Integer> {
    @Spec
    CommandSpec self;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee; // `sandq up`, when this is its mixin

    @Mixin
    KafkaOptions kafka;

    @Mixin
    SandboxOptions sandbox = new SandboxOptions();

    @Option(names = "--group", defaultValue = "${env:SANDQ_GROUP}",
            description = "Consumer group of the workers (default: sandq-workers; with --delivery queue, the share group, "
                    + "default sandq-queue: a group is either one or the other).")
    String group;

    @Option(names = "--commit-interval", defaultValue = "${env:SANDQ_COMMIT_INTERVAL:-PT0.2S}",
            description = "At-least-once: the shortest time between two offset commits (ISO-8601; PT0S commits after "
                    + "every poll that completed a job). Fewer commits cost the broker less; after a crash, up to "
                    + "this much more work is redone. Queue mode: how long a lane that does not fetch (the worker "
                    + "paused) keeps a job's acknowledgement before it sends it on its own.")
    Duration commitInterval;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "${env:SANDQ_PREFETCH}",
            description = "Jobs taken beyond the busy slots, so that a slot that frees finds one waiting (default: as "
                    + "many as --slots). Queue mode: each is a share consumer of its own (a lane), and a job taken "
                    + "ahead waits for a slot of this worker, its lock renewed, even if another worker is idle: 0 for "
                    + "jobs of seconds or longer.")
    Integer prefetch;

    @Option(names = "--drain-timeout", defaultValue = "${env:SANDQ_DRAIN_TIMEOUT:-PT30S}",
            description = "How long a stopping worker lets running jobs finish (ISO-8601, e.g. PT30S).")
    Duration drainTimeout;

    @Option(names = "--delivery", defaultValue = "${env:SANDQ_DELIVERY:-at-least-once}",
            description = "at-least-once, exactly-once or queue (a share group: each job acknowledged on its own, "
                    + "any number of workers per partition; docs/operating.md#queue-mode).")
    String delivery;

    @Option(names = "--metrics-port", defaultValue = "${env:SANDQ_METRICS_PORT:-9464}",
            description = "Port of /metrics, /healthz, /readyz (-1 = off, 0 = any).")
    int metricsPort;

    @Option(names = "--worker-id", defaultValue = "${env:SANDQ_WORKER_ID}",
            description = "Default: pid@host. Keep it across restarts in exactly-once mode: it names the "
                    + "transactional id, so a restarted worker fences its dead predecessor at once.")
    String workerId;

    @Option(names = "--prestart", negatable = true, defaultValue = "${env:SANDQ_PRESTART:-true}", fallbackValue = "true",
            description = "Keeps a sandbox built for each idle slot's next job, its interpreter already started, so that "
                    + "a job does not wait for either (jobs without the network; default: on). "
                    + "--no-prestart builds each job's sandbox when the job arrives.")
    boolean prestart;

    @Option(names = "--python-zygote", negatable = true, defaultValue = "${env:SANDQ_PYTHON_ZYGOTE:-true}",
            fallbackValue = "true",
            description = "Starts the interpreter of each prestarted Python sandbox as a fork of a warm one (a zygote), "
                    + "not by execve: most of Python's start-up CPU is saved, which is what throughput at full "
                    + "load is made of (root mode only; default: on). Every job of a zygote starts from its memory "
                    + "(the same address-space layout and string hash seed; a zygote serves 1000 launches). "
                    + "--no-python-zygote execs each interpreter (executor-native/ZYGOTE.md).")
    boolean pythonZygote;

    @Option(names = "--launch-path", paramLabel = "[LANG:]PATH", split = ",", defaultValue = "${env:SANDQ_LAUNCH_PATH}",
            description = "Pins how jobs start: fresh (sandbox and interpreter made when the job comes), prestarted "
                    + "(made before it comes) or zygote (prestarted, the interpreter forked from a warm one; Python "
                    + "only), for one language with LANG: (python3:zygote) or for both. Repeatable. Default: each "
                    + "language takes the cheapest that --prestart and --python-zygote allow, measured on this host "
                    + "when the worker starts (logged, and in /metrics as sandq_sandbox_launch_path).")
    List<String> launchPaths = new ArrayList<>();

    /**
     * Jobs with enable_network run (through the egress proxy) unless --no-allow-network says
     * otherwise: `sandq up`'s default, so that Dify's jobs, which always ask for the network, run.
     */
    public void allowNetworkByDefault() {
        sandbox.allowNetworkByDefault();
    }

    /** Where the cluster is, the client properties and the topic names. */
    public KafkaOptions kafka() {
        return kafka;
    }

    @Override
    public Integer call() throws Exception {
        String bootstrap = kafka.bootstrapServersOrLocal();
        validate();
        try (Sandbox box = openSandbox()) {
            return run(bootstrap, box);
        }
    }

    /**
     * The sandbox this worker will use, checked (self-test included) before anything else starts.
     *
     * @throws SandboxUnavailableException this host cannot isolate jobs (Main maps it to exit 3)
     */
    public Sandbox openSandbox() throws SandboxUnavailableException {
        SandboxConfig config = sandboxConfig();
        EnvironmentDefaults.difySandboxNotes(mixee != null ? mixee : self)
                .forEach(note -> System.err.println("sandq: DifySandbox's environment: " + note));
        Sandbox box = LocalSandbox.create(config);
        System.err.println("sandq: jobs with enable_network " + (config.networkAllowed()
                ? "run, only through the egress proxy (" + config.egress().describe() + ")"
                        + config.egressProxy().map(p -> ", out through " + p).orElse("") + "; --no-allow-network rejects them"
                : "are rejected; --allow-network lets them run through the egress proxy"));
        config.packagesRoot().ifPresent(root ->
                System.err.println("sandq: installed packages: " + Dependencies.forRoot(root).summary()));
        return box;
    }

    /** Checks the worker's options before anything starts (a bad one is a usage error, exit 2). */
    public void validate() {
        config(KafkaOptions.LOCAL, 1);
        sandboxConfig();
    }

    /** The sandbox's configuration from the options; a bad one is a usage error. */
    private SandboxConfig sandboxConfig() {
        picocli.CommandLine cmd = (mixee != null ? mixee : self).commandLine();
        SandboxConfig.Builder builder = sandbox.toConfig(cmd).toBuilder().prestart(prestart).pythonZygote(pythonZygote);
        try {
            LaunchPaths.parse(launchPaths).forEach(builder::launchPath);
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(cmd, e.getMessage(), e);
        }
    }

    /** The group: --group, else the mode's default (a share group cannot have a consumer group's id). */
    public String groupId(DeliveryMode mode) {
        if (group != null && !group.isBlank()) {
            return group;
        }
        return mode == DeliveryMode.QUEUE ? "sandq-queue" : "sandq-workers";
    }

    /** The delivery mode asked for. */
    public DeliveryMode deliveryMode() {
        return DeliveryMode.parse(delivery);
    }

    WorkerConfig config(String bootstrapServers, int slots) {
        try {
            DeliveryMode mode = DeliveryMode.parse(delivery);
            WorkerConfig.Builder b = WorkerConfig.builder(bootstrapServers)
                    .kafkaProperties(kafka.kafkaProperties).groupId(groupId(mode)).topics(kafka.topics())
                    .slots(slots)
                    .drainTimeout(drainTimeout).commitInterval(commitInterval).deliveryMode(mode)
                    .metricsPort(metricsPort).maxCodeBytes(sandbox.limits().maxCodeBytes())
                    .maxInputBytes(sandbox.limits().maxInputBytes());
            if (prefetch != null) {
                b.prefetch(prefetch);
            }
            if (workerId != null && !workerId.isBlank()) {
                b.workerId(workerId);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException((mixee != null ? mixee : self).commandLine(),
                    e.getMessage(), e);
        }
    }

    /** Runs the worker until SIGTERM/Ctrl-C, then drains it; 0 after a clean stop, 1 after a fatal error. */
    public int run(String bootstrapServers, Sandbox box) throws Exception {
        WorkerConfig config = config(bootstrapServers, box.slots());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Worker worker;
        try {
            worker = Worker.create(config, box, Clock.systemUTC(), registry);
        } catch (MissingTopicException e) {
            System.err.println("sandq: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        StopSignals.install(worker::requestStop);
        try (HealthServer health = config.metricsPort() < 0 ? null
                : HealthServer.start(config.metricsPort(), registry, worker::healthy, worker::ready)) {
            if (health != null) {
                System.err.println("sandq: /metrics, /healthz, /readyz on port " + health.port());
            }
            worker.run();
        }
        if (worker.failure() != null) {
            System.err.println("sandq: the worker stopped after a fatal error: " + worker.failure());
            return ExitCodes.SOFTWARE;
        }
        System.err.println("sandq: worker stopped");
        return ExitCodes.OK;
    }
}
