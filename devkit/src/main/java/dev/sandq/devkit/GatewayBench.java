package dev.sandq.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Status;
import dev.sandq.gateway.KafkaJobClient;
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
 * The gateway's overhead: the same trivial Python job, one at a time, alternately through
 * {@code POST /v1/sandbox/run} and straight to Kafka (request-reply with the same client the
 * gateway uses), after a warm-up of each. Reports p50/p99/mean of each and their difference.
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

    public GatewayBench(URI gateway, String apiKey, KafkaJobClient kafka, Duration timeout) {
        this.run = gateway.resolve("/v1/sandbox/run");
        this.apiKey = apiKey;
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /** Runs {@code warmup} then {@code jobs} rounds; each round one job per path, their order alternating. */
    public Figures[] measure(int jobs, int warmup) throws Exception {
        for (int i = 0; i < warmup; i++) {
            viaGateway();
            viaKafka();
        }
        double[] gateway = new double[jobs];
        double[] direct = new double[jobs];
        for (int i = 0; i < jobs; i++) {
            if (i % 2 == 0) {
                gateway[i] = viaGateway();
                direct[i] = viaKafka();
            } else {
                direct[i] = viaKafka();
                gateway[i] = viaGateway();
            }
        }
        return new Figures[] {Figures.of("gateway (HTTP /v1/sandbox/run)", gateway), Figures.of("straight to Kafka", direct)};
    }

    public static void print(Figures[] figures, PrintWriter out) {
        for (Figures f : figures) {
            out.printf("%-32s n=%d  p50 %7.1f ms  p99 %7.1f ms  mean %7.1f ms%n", f.path(), f.jobs(), f.p50(), f.p99(), f.mean());
        }
        out.printf("%-32s p50 %+7.1f ms  p99 %+7.1f ms%n", "gateway overhead",
                figures[0].p50() - figures[1].p50(), figures[0].p99() - figures[1].p99());
        out.flush();
    }

    private double viaGateway() throws Exception {
        String body = MAPPER.writeValueAsString(MAPPER.createObjectNode().put("language", "python3").put("code", CODE)
                .put("preload", "").put("enable_network", false));
        HttpRequest request = HttpRequest.newBuilder(run).timeout(timeout.plusSeconds(5))
                .header("X-Api-Key", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long t0 = System.nanoTime();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - t0) / 1e6;
        JsonNode doc = MAPPER.readTree(response.body());
        if (response.statusCode() != 200 || doc.path("code").asInt(-1) != 0
                || !"ok\n".equals(doc.path("data").path("stdout").asText())) {
            throw new IllegalStateException("the gateway answered " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return ms;
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
