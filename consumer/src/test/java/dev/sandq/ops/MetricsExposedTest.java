package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every metric the alert rules and the dashboard read is one a running worker exposes. */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MetricsExposedTest {
    /** Series Prometheus itself makes, not the worker. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private static Set<String> exposed;
    /** What a queue-mode worker exposes besides (sandq_queue_*): the dashboard shows queue mode too. */
    private static Set<String> exposedInQueueMode;

    @BeforeAll
    static void runJobsThroughARealWorkerAndScrape() throws Exception {
        OpsRig rig = OpsRig.get();
        runJobs(rig, List.of("{\"language\":\"python3\",\"code\":\"print(6*7)\"}",
                "{\"language\":\"nodejs\",\"code\":\"console.log(6*7)\"}"));
        System.gc();
        exposed = scrapedNames(awaitScrapeWith(rig, "jvm_gc_pause_seconds_count", Duration.ofSeconds(30)));
        exposedInQueueMode = scrapedNames(QueueWorkerScrape.afterOneJob(rig));
    }

    /**
     * The GC pause timer appears at the first collection after the worker started, reported
     * asynchronously. After the timeout, a scrape without it is returned all the same: the test that
     * expects it names what is missing, and the others check the rest.
     */
    private static String awaitScrapeWith(OpsRig rig, String name, Duration timeout) throws Exception {
        try {
            Await.until(timeout, Duration.ofMillis(100), () -> scrapedNames(rig.get("/metrics")).contains(name),
                    () -> name + " in the scrape");
        } catch (AssertionError stillMissing) {
            // a scrape all the same, as said above
        }
        return rig.get("/metrics");
    }

    /** Sends the jobs to the rig's worker and waits for every reply. */
    private static void runJobs(OpsRig rig, List<String> jobs) throws Exception {
        String bootstrap = rig.bootstrap();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> results = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                     "group.id", "metrics-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            results.subscribe(List.of("sandq.results"));
            Set<String> ids = new TreeSet<>();
            for (String job : jobs) {
                String id = "metrics-" + UUID.randomUUID();
                ids.add(id);
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("sandq.jobs", job.getBytes(StandardCharsets.UTF_8));
                r.headers().add("kafka_correlationId", id.getBytes(StandardCharsets.UTF_8));
                producer.send(r).get();
            }
            Await.until(Duration.ofSeconds(60), Duration.ZERO, () -> {
                for (ConsumerRecord<byte[], byte[]> r : results.poll(Duration.ofMillis(200))) {
                    ids.remove(new String(r.key(), StandardCharsets.UTF_8));
                }
                return ids.isEmpty();
            }, () -> "a reply to every job; none yet to " + ids);
        }
    }

    static Set<String> scrapedNames(String body) {
        Set<String> names = new TreeSet<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** Micrometer's JVM and process binders, in their Prometheus names, beside sandq's and the Kafka clients'. */
    @Test
    void jvmAndProcessMetricsAreExposed() {
        Set<String> expected = Set.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_gc_pause_seconds_count",
                "jvm_gc_pause_seconds_sum", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "process_cpu_usage", "system_cpu_usage", "process_files_open_files", "process_files_max_files",
                "process_uptime_seconds");
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(exposed);
        assertEquals(Set.of(), missing, "JVM and process metrics not exposed; exposed: " + exposed);
    }

    @Test
    void everyMetricOfTheAlertRulesIsExposed() throws Exception {
        JsonNode rules = new YAMLMapper().readTree(OpsFiles.path("ops/prometheus/sandq-alerts.yaml").toFile());
        Map<String, Set<String>> missing = new TreeMap<>();
        int n = 0;
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                n++;
                check(rule.path("alert").asText(), rule.path("expr").asText(), missing);
            }
        }
        assertEquals(9, n, "alert rules");
        assertEquals(Map.of(), missing, "metrics in the rules that the worker does not expose");
    }

    @Test
    void everyMetricOfTheDashboardIsExposed() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(OpsFiles.path("ops/grafana/sandq-dashboard.json").toFile());
        Map<String, Set<String>> missing = new TreeMap<>();
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asText());
                check(panel.path("title").asText(), target.path("expr").asText(), missing);
            }
        }
        assertTrue(exprs.size() >= 10, "dashboard queries: " + exprs);
        assertEquals(Map.of(), missing, "metrics in the dashboard that the worker does not expose");
    }

    /**
     * The Python job found the sandbox its slot prestarted for Python at start; every job is counted
     * once, after a garbage collection too (a function counter holds its object weakly: one whose
     * object was collected stops counting, which the worker once did).
     */
    @Test
    void jobsAreCountedByHowTheirSandboxWasStarted() throws Exception {
        OpsRig rig = OpsRig.get();
        String body = rig.get("/metrics");
        double prestarted = sample(body, "sandq_sandbox_starts_total", "kind=\"prestarted\"");
        double built = sample(body, "sandq_sandbox_starts_total", "kind=\"built\"");
        assertTrue(prestarted >= 1, "jobs in prestarted sandboxes: " + prestarted + ", built: " + built);
        assertTrue(prestarted + built >= 2, "jobs counted: " + prestarted + " + " + built);

        System.gc();
        runJobs(rig, List.of("{\"language\":\"python3\",\"code\":\"pass\"}"));
        String after = rig.get("/metrics");
        assertEquals(prestarted + built + 1, sample(after, "sandq_sandbox_starts_total", "kind=\"prestarted\"")
                + sample(after, "sandq_sandbox_starts_total", "kind=\"built\""), "the job after a collection is counted");
    }

    /**
     * Every stage after polled is timed in sandq_job_stage_seconds, a histogram (Grafana's "Where a
     * job's time goes" reads its buckets), once the rig's jobs are answered and their offsets committed.
     */
    @Test
    void everyStageOfAJobIsTimed() throws Exception {
        OpsRig rig = OpsRig.get();
        List<String> stages = List.of("parsed", "slot_acquired", "sandbox_ready", "started", "exited", "result_read",
                "produced", "acknowledged", "committed");
        // The offsets are committed after the replies, within the commit interval.
        String body = Await.untilPresent(Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
            String scrape = rig.get("/metrics");
            return sample(scrape, "sandq_job_stage_seconds_count", "stage=\"committed\"") >= 1
                    ? Optional.of(scrape) : Optional.empty();
        }, () -> "a committed stage timed in /metrics");
        for (String stage : stages) {
            String tag = "stage=\"" + stage + "\"";
            assertTrue(sample(body, "sandq_job_stage_seconds_count", tag) >= 1, stage + " timed: " + body);
            assertTrue(sample(body, "sandq_job_stage_seconds_bucket", tag) >= 0, stage + " has buckets");
        }
        assertTrue(body.lines().noneMatch(l -> l.startsWith("sandq_job_stage_seconds") && l.contains("stage=\"polled\"")),
                "polled is where the others count from");
    }

    /** The rig's launchers all cleaned up after their jobs: none counted as failing to. */
    @Test
    void eachLanguagesLaunchPathIsExposed() throws Exception {
        String body = OpsRig.get().get("/metrics");
        for (String language : List.of("python3", "nodejs")) {
            assertTrue(body.lines().anyMatch(l -> l.startsWith("sandq_sandbox_launch_path{")
                            && l.contains("language=\"" + language + "\"") && l.endsWith(" 1.0")),
                    "no launch path of " + language + " in:\n" + body);
        }
    }

    @Test
    void noJobOfTheRigLeftItsCleanUpUndone() throws Exception {
        String body = OpsRig.get().get("/metrics");
        assertEquals(0.0, sample(body, "sandq_sandbox_cleanup_failures_total", ""), body);
    }

    private static double sample(String body, String name, String label) {
        for (String line : body.split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " with " + label + " in the scrape");
    }

    @Test
    void theExtractorFindsAMetricThatIsNotExposed() {
        Map<String, Set<String>> missing = new TreeMap<>();
        check("typo", "sum by (status) (rate(sandq_job_total{job=\"x\"}[5m])) > 0", missing);
        assertEquals(Map.of("typo", Set.of("sandq_job_total")), missing);
    }

    private static void check(String where, String expr, Map<String, Set<String>> missing) {
        Set<String> names = PromQl.metricNames(expr);
        assertTrue(!names.isEmpty(), where + ": no metric found in " + expr);
        for (String name : names) {
            if (!exposed.contains(name) && !exposedInQueueMode.contains(name) && !PROMETHEUS_OWN.contains(name)) {
                missing.computeIfAbsent(where, k -> new TreeSet<>()).add(name);
            }
        }
    }
}
