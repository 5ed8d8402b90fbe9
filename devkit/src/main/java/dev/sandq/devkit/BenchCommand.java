package dev.sandq.devkit;

import dev.sandq.cli.ExitCodes;
import dev.sandq.cli.KafkaOptions;
import dev.sandq.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `sandq bench`: N trivial jobs at concurrency C through a running worker (throughput and
 * submit-to-reply latency p50/p90/p99), and, in the same run, the rate of bare interpreter
 * starts (`python3 -c pass`, the benchmark's baseline, measured just before and just after the
 * worker's run and averaged; no job code runs outside the sandbox).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure a running worker.")
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--jobs", defaultValue = "200", description = "Jobs to send (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--concurrency", defaultValue = "2",
            description = "Jobs in flight at once, and the parallelism of the bare baseline (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--code", defaultValue = "pass", description = "Python source of each job.")
    String code;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Interpreter of the baseline.")
    String python;

    @Option(names = "--watch-pid", paramLabel = "PID",
            description = "The worker's JVM (e.g. `sandq up`): every --report-every jobs, force a GC in it "
                    + "(jcmd GC.run) and print its heap used after GC (jstat) and its RSS (/proc).")
    Long watchPid;

    @Option(names = "--report-every", defaultValue = "1000", paramLabel = "N",
            description = "Jobs between two --watch-pid reports.")
    int reportEvery;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> props = kafka.clientProperties();
        if (jobs < 1 || concurrency < 1 || reportEvery < 1) {
            System.err.println("sandq bench: --jobs, --concurrency and --report-every must be >= 1, got "
                    + jobs + ", " + concurrency + ", " + reportEvery);
            return ExitCodes.USAGE;
        }
        WorkerMemory memory = watchPid == null ? null : new WorkerMemory(watchPid);
        if (memory != null) {
            System.out.println(memory.sample(0));
        }
        double bareBefore = bareStartRate();
        double[] latencies = new double[jobs];
        double[] inWorker = new double[jobs];
        double[] inSandbox = new double[jobs];
        double[] toWorker = new double[jobs];
        double[] backFromWorker = new double[jobs];
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        long start;
        long elapsed;
        try (KafkaConsumer<byte[], byte[]> replies = reader(props);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(withDefaults(props),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            long[] sentAt = new long[jobs];
            long[] sentAtEpochMs = new long[jobs];
            int sent = 0;
            int answered = 0;
            byte[] body = ("{\"language\":\"python3\",\"code\":" + mapper.writeValueAsString(code) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            String run = Long.toHexString(System.nanoTime());
            start = System.nanoTime();
            long deadline = start + Duration.ofMinutes(10).plusMillis(100L * jobs).toNanos();
            while (answered < jobs && System.nanoTime() < deadline) {
                while (sent < jobs && sent - answered < concurrency) {
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(kafka.topics().jobs(), body);
                    r.headers().add(WireHeaders.CORRELATION_ID, correlation(run, sent));
                    sentAt[sent] = System.nanoTime();
                    sentAtEpochMs[sent] = System.currentTimeMillis();
                    producer.send(r);
                    sent++;
                }
                for (ConsumerRecord<byte[], byte[]> r : replies.poll(Duration.ofMillis(5))) {
                    int i = index(run, r.key());
                    if (i >= 0) {
                        latencies[answered] = (System.nanoTime() - sentAt[i]) / 1e6;
                        com.fasterxml.jackson.databind.JsonNode reply = mapper.readTree(r.value());
                        java.time.Instant startedAt = java.time.Instant.parse(reply.path("started_at").asText());
                        java.time.Instant finishedAt = java.time.Instant.parse(reply.path("finished_at").asText());
                        inWorker[answered] = java.time.Duration.between(startedAt, finishedAt).toNanos() / 1e6;
                        // same host, same clock: the two Kafka hops around the worker (ms resolution)
                        toWorker[answered] = startedAt.toEpochMilli() - sentAtEpochMs[i];
                        backFromWorker[answered] = System.currentTimeMillis() - finishedAt.toEpochMilli();
                        inSandbox[answered] = reply.path("usage").path("wall_time_ms").asDouble();
                        answered++;
                        if (memory != null && answered % reportEvery == 0) {
                            System.out.println(memory.sample(answered));
                        }
                    }
                }
            }
            elapsed = System.nanoTime() - start;
            if (answered < jobs) {
                System.err.println("sandq bench: only " + answered + " of " + jobs + " answered in 10 minutes");
                return 1;
            }
        }
        Arrays.sort(latencies);
        Arrays.sort(inWorker);
        Arrays.sort(inSandbox);
        Arrays.sort(toWorker);
        Arrays.sort(backFromWorker);
        double throughput = jobs / (elapsed / 1e9);
        double bareAfter = bareStartRate();
        double bare = (bareBefore + bareAfter) / 2; // the host's load drifts; bracket the worker's run
        System.out.printf("jobs %d, concurrency %d: %.1f jobs/s; submit-to-reply ms p50 %.1f p90 %.1f p99 %.1f%n",
                jobs, concurrency, throughput, pct(latencies, 50), pct(latencies, 90), pct(latencies, 99));
        System.out.printf("of which in the worker (started_at to finished_at) ms p50 %.1f p90 %.1f; "
                + "in the sandbox (usage.wall_time_ms) p50 %.1f p90 %.1f%n",
                pct(inWorker, 50), pct(inWorker, 90), pct(inSandbox, 50), pct(inSandbox, 90));
        System.out.printf("around the worker, when it runs on this host: send to started_at ms p50 %.0f p90 %.0f; "
                + "finished_at to reply received ms p50 %.0f p90 %.0f%n",
                pct(toWorker, 50), pct(toWorker, 90), pct(backFromWorker, 50), pct(backFromWorker, 90));
        System.out.printf("bare `%s -c pass` at concurrency %d: %.1f starts/s (before %.1f, after %.1f); "
                + "worker/bare ratio %.2f%n", python, concurrency, bare, bareBefore, bareAfter, throughput / bare);
        System.out.println("load average (1, 5, 15 min) at the end: "
                + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
        return 0;
    }

    private double bareStartRate() throws Exception {
        int n = Math.min(jobs, 200);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            long t0 = System.nanoTime();
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(pool.submit(() -> new ProcessBuilder(python, "-c", "pass")
                        .redirectErrorStream(true).start().waitFor()));
            }
            for (Future<Integer> f : fs) {
                f.get();
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static byte[] correlation(String run, int i) {
        return (run + ":" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static int index(String run, byte[] key) {
        if (key == null) {
            return -1;
        }
        String k = new String(key, StandardCharsets.UTF_8);
        return k.startsWith(run + ":") ? Integer.parseInt(k.substring(run.length() + 1)) : -1;
    }

    private KafkaConsumer<byte[], byte[]> reader(Map<String, Object> props) {
        Map<String, Object> p = new HashMap<>(props);
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(kafka.topics().results()).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }

    private static Map<String, Object> withDefaults(Map<String, Object> props) {
        Map<String, Object> p = new HashMap<>(props);
        p.putIfAbsent("linger.ms", "0");
        p.putIfAbsent("acks", "all");
        return p;
    }
}
