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
 * A `sandq worker` that `sandq bench --delivery` starts for one delivery mode: its own JVM (this
 * one's java and class path), its own topics ({@code bench-RUN-MODE.jobs} ...) and group, so that
 * modes measured in one run never see each other's jobs, and its own metrics port. Ready once its
 * /readyz says so; closed with SIGTERM (it drains), its topics deleted.
 */
final class BenchWorker implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 4;

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
    private final Process process;
    private final Path log;
    private final Map<String, Object> adminProperties;

    private BenchWorker(Target target, Process process, Path log, Map<String, Object> adminProperties) {
        this.target = target;
        this.process = process;
        this.log = log;
        this.adminProperties = adminProperties;
    }

    /** The worker's command line: `sandq worker` on the target's topics, group and port, as a user would run it. */
    static List<String> command(Path java, String classPath, String bootstrap, Map<String, String> kafkaProperties,
                                Target t, Integer slots) {
        List<String> c = new ArrayList<>(List.of(java.toString(), "-cp", classPath, "dev.sandq.cli.Main", "worker",
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

    /** Creates the mode's topics (and, in queue mode, its share group's configs), starts the worker, waits until ready. */
    static BenchWorker start(String bootstrap, Map<String, String> kafkaProperties, DeliveryMode mode, String run,
                             Integer slots) throws Exception {
        Target target = Target.of(mode, run, freePort());
        Map<String, Object> admin = new HashMap<>(kafkaProperties);
        admin.put("bootstrap.servers", bootstrap);
        TopicCatalogue catalogue = TopicCatalogue.load(target.topics()).withPartitions(PARTITIONS);
        try (Admin a = Admin.create(admin)) {
            new TopicApplier(a).apply(catalogue);
            if (mode == DeliveryMode.QUEUE) {
                new ShareGroupApplier(a).apply(catalogue.shareGroup().named(target.group()));
            }
        }
        Path log = Files.createTempFile("sandq-bench-" + mode.wireName() + "-", ".log");
        Process p = new ProcessBuilder(command(Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path"), bootstrap, kafkaProperties, target, slots))
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        BenchWorker w = new BenchWorker(target, p, log, admin);
        try {
            w.awaitReady();
        } catch (Exception e) {
            w.close();
            throw e;
        }
        System.out.println("worker: sandq worker --delivery " + mode.wireName() + " (pid " + p.pid() + ", topics "
                + target.topics().jobs() + " ..., log " + log + ")");
        return w;
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI readyz = URI.create("http://127.0.0.1:" + target.metricsPort() + "/readyz");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + target.mode().wireName() + " worker exited with "
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
        throw new IllegalStateException("the " + target.mode().wireName() + " worker was not ready within "
                + READY_TIMEOUT + "; its log: " + log);
    }

    Target target() {
        return target;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
