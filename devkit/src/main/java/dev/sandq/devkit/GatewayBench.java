package dev.sandq.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Status;
import dev.sandq.gateway.KafkaJobClient;
import dev.sandq.gateway.KeepAliveHttp;
import dev.sandq.gateway.RunRequest;
import dev.sandq.wire.JobReply;
import dev.sandq.wire.JobReplyCodec;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * The gateway's overhead: the same trivial Python job, one at a time, in turn through
 * {@code POST /v1/sandbox/run} with the JDK's HttpClient, through it on one kept-alive connection
 * written and read by hand ({@link KeepAliveHttp}: the gateway's own cost, without a client
 * library's), and straight to Kafka (request-reply with the same client the gateway uses), after
 * a warm-up of each. Reports p50/p99/mean of each and the differences to the straight path.
 */
public final class GatewayBench {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CODE = "print('ok')";

    /** Latency figures of one path, in milliseconds. */
    public record Figures(String path, int jobs, double p50, double p99, double mean) {
        static Figures of(String path, double[] ms) {
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            return new Figures(path, sorted.length, percentile(sorted, 0.50), percentile(sorted, 0.99),
                    Arrays.stream(sorted).average().orElse(0));
        }

        private static double percentile(double[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }

    private final URI run;
    private final String apiKey;
    private final KafkaJobClient kafka;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final java.net.InetSocketAddress address;

    public GatewayBench(URI gateway, String apiKey, KafkaJobClient kafka, Duration timeout) {
        this.run = gateway.resolve("/v1/sandbox/run");
        this.address = new java.net.InetSocketAddress(gateway.getHost(), gateway.getPort());
        this.apiKey = apiKey;
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /** Runs {@code warmup} then {@code jobs} rounds; each round one job per path, their order rotating. */
    public Figures[] measure(int jobs, int warmup) throws Exception {
        try (KeepAliveHttp connection = new KeepAliveHttp(address)) {
            for (int i = 0; i < warmup; i++) {
                viaGateway();
                viaConnection(connection);
                viaKafka();
            }
            double[] gateway = new double[jobs];
            double[] kept = new double[jobs];
            double[] direct = new double[jobs];
            for (int i = 0; i < jobs; i++) {
                for (int k = 0; k < 3; k++) {
                    switch ((i + k) % 3) {
                        case 0 -> gateway[i] = viaGateway();
                        case 1 -> kept[i] = viaConnection(connection);
                        default -> direct[i] = viaKafka();
                    }
                }
            }
            return new Figures[] {Figures.of("straight to Kafka", direct),
                    Figures.of("gateway, one kept connection", kept),
                    Figures.of("gateway, JDK HttpClient", gateway)};
        }
    }

    /** The figures, then each gateway path's overhead over the first (straight to Kafka). */
    public static void print(Figures[] figures, PrintWriter out) {
        for (Figures f : figures) {
            out.printf("%-32s n=%d  p50 %7.1f ms  p99 %7.1f ms  mean %7.1f ms%n", f.path(), f.jobs(), f.p50(), f.p99(), f.mean());
        }
        for (int i = 1; i < figures.length; i++) {
            out.printf("overhead: %-22s p50 %+7.1f ms  p99 %+7.1f ms%n", figures[i].path().replaceFirst("^gateway, ", ""),
                    figures[i].p50() - figures[0].p50(), figures[i].p99() - figures[0].p99());
        }
        out.flush();
    }

    private static String body() throws Exception {
        return MAPPER.writeValueAsString(MAPPER.createObjectNode().put("language", "python3").put("code", CODE)
                .put("preload", "").put("enable_network", false));
    }

    private double viaConnection(KeepAliveHttp connection) throws Exception {
        byte[] body = body().getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        KeepAliveHttp.Answer answer = connection.postJson(run.getRawPath(), apiKey, body);
        double ms = (System.nanoTime() - t0) / 1e6;
        check(answer.status(), answer.body());
        return ms;
    }

    private double viaGateway() throws Exception {
        String body = body();
        HttpRequest request = HttpRequest.newBuilder(run).timeout(timeout.plusSeconds(5))
                .header("X-Api-Key", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long t0 = System.nanoTime();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - t0) / 1e6;
        check(response.statusCode(), response.body());
        return ms;
    }

    private static void check(int status, byte[] body) throws Exception {
        JsonNode doc = MAPPER.readTree(body);
        if (status != 200 || doc.path("code").asInt(-1) != 0 || !"ok\n".equals(doc.path("data").path("stdout").asText())) {
            throw new IllegalStateException("the gateway answered " + status + " " + new String(body, StandardCharsets.UTF_8));
        }
    }

    private double viaKafka() throws Exception {
        byte[] job = new RunRequest("python3", CODE, "", false).toJob(false, Clock.systemUTC().millis() + timeout.toMillis());
        long t0 = System.nanoTime();
        byte[] reply = kafka.submit(job, timeout).get();
        double ms = (System.nanoTime() - t0) / 1e6;
        JobReply r = JobReplyCodec.fromJson(reply);
        if (r.status() != Status.OK || !"ok\n".equals(r.stdout())) {
            throw new IllegalStateException("the direct job ended " + r.status() + ": " + r.error());
        }
        return ms;
    }
}
