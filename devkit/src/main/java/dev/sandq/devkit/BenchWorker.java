package dev.sandq.devkit;

import dev.sandq.worker.DeliveryMode;
import dev.sandq.worker.topics.ShareGroupApplier;
import dev.sandq.worker.topics.TopicApplier;
import dev.sandq.worker.topics.TopicCatalogue;
import dev.sandq.worker.topics.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * The `sandq worker`s that `sandq bench --delivery` starts for one delivery mode: each its own JVM
 * (this one's java and class path) and metrics port, all in one group on topics of their own
 * ({@code bench-RUN-MODE.jobs} ...), so that modes measured in one run never see each other's
 * jobs. Ready once each one's /readyz says so; closed with SIGTERM (they drain), the topics
 * deleted. The first worker is the one whose /metrics and CPU the bench reads.
 */
final class BenchWorker implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /** Where one mode's worker reads and writes. */
    record Target(DeliveryMode mode, TopicNames topics, String group, int metricsPort) {
        static Target of(DeliveryMode mode, String run, int metricsPort) {
            String prefix = "bench-" + run + "-" + mode.wireName();
            return new Target(mode, TopicNames.withPrefix(prefix), prefix, metricsPort);
        }

        String metricsUrl() {
            return "http://127.0.0.1:" + metricsPort + "/metrics";
        }
    }

    private final Target target;
    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final Map<String, Object> adminProperties;

    private BenchWorker(Target target, Map<String, Object> adminProperties) {
        this.target = target;
        this.adminProperties = adminProperties;
    }

    /**
     * The worker's command line: `sandq worker` on the target's topics, group and port, as a user
     * would run it, with {@code jvmOptions}: this bench's own, which the sandq script chose (C1
     * only, as for every command but worker and gateway), so that the modes are compared without
     * C2's long compiling phase in the measure; SANDQ_JAVA_OPTS changes both.
     */
    static List<String> command(Path java, List<String> jvmOptions, String classPath, String bootstrap,
                                Map<String, String> kafkaProperties, Target t, Integer slots) {
        List<String> c = new ArrayList<>(List.of(java.toString()));
        c.addAll(jvmOptions);
        c.addAll(List.of("-cp", classPath, "dev.sandq.cli.Main", "worker",
                "--bootstrap-servers", bootstrap, "--delivery", t.mode().wireName(), "--group", t.group(),
                "--jobs-topic", t.topics().jobs(), "--results-topic", t.topics().results(),
                "--dlt-topic", t.topics().deadLetters(), "--metrics-port", String.valueOf(t.metricsPort()),
                "--worker-id", t.group()));
        if (slots != null) {
            c.addAll(List.of("--slots", String.valueOf(slots)));
        }
        kafkaProperties.forEach((k, v) -> c.addAll(List.of("-X", k + "=" + v)));
        return c;
    }

    /**
     * Creates the mode's topics with {@code partitions} partitions (and, in queue mode, its share
     * group's configs), starts {@code workers} workers, waits until each is ready.
     */
    static BenchWorker start(String bootstrap, Map<String, String> kafkaProperties, DeliveryMode mode, String run,
                             Integer slots, int workers, int partitions) throws Exception {
        Target target = Target.of(mode, run, freePort());
        Map<String, Object> admin = new HashMap<>(kafkaProperties);
        admin.put("bootstrap.servers", bootstrap);
        TopicCatalogue catalogue = TopicCatalogue.load(target.topics()).withPartitions(partitions);
        try (Admin a = Admin.create(admin)) {
            new TopicApplier(a).apply(catalogue);
            if (mode == DeliveryMode.QUEUE) {
                new ShareGroupApplier(a).apply(catalogue.shareGroup().named(target.group()));
            }
        }
        BenchWorker w = new BenchWorker(target, admin);
        try {
            for (int i = 0; i < workers; i++) {
                int port = i == 0 ? target.metricsPort() : freePort();
                Target own = new Target(mode, target.topics(), target.group(), port);
                Path log = Files.createTempFile("sandq-bench-" + mode.wireName() + "-" + i + "-", ".log");
                List<String> command = new ArrayList<>(command(Path.of(System.getProperty("java.home"), "bin", "java"),
                        ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"),
                        bootstrap, kafkaProperties, own, slots));
                command.set(command.indexOf("--worker-id") + 1, target.group() + "-" + i);
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                w.processes.add(p);
                w.ports.add(port);
                awaitReady(p, port, mode, log);
                System.out.println("worker: sandq worker --delivery " + mode.wireName() + " (pid " + p.pid()
                        + ", topics " + target.topics().jobs() + " ..., partitions: " + partitions + ", log " + log + ")");
            }
        } catch (Exception e) {
            w.close();
            throw e;
        }
        return w;
    }

    private static void awaitReady(Process process, int port, DeliveryMode mode, Path log)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + mode.wireName() + " worker exited with "
                        + process.exitValue() + "; its log: " + log + "\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200); // waiting on another process's start: nothing to be told by
        }
        throw new IllegalStateException("the " + mode.wireName() + " worker was not ready within "
                + READY_TIMEOUT + "; its log: " + log);
    }

    Target target() {
        return target;
    }

    /** The first worker's pid (the bench's CPU accounting follows it). */
    long pid() {
        return processes.get(0).pid();
    }

    @Override
    public void close() throws InterruptedException {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        try (Admin a = Admin.create(adminProperties)) {
            a.deleteTopics(List.of(target.topics().jobs(), target.topics().results(), target.topics().deadLetters()))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("sandq bench: could not delete the topics " + target.topics() + ": " + e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }
}
