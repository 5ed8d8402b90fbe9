package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sandq.executor.egress.UpstreamProxy;
import dev.sandq.testing.Slow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Kubernetes manifests and the compose file parse, and name what the code really has: the
 * subcommands, the SANDQ_* variables of those subcommands' options, the metrics port default,
 * the probe paths a running worker answers, the image of this version, the topics and group.
 */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DeploymentFilesTest {
    /** Variables the files may set that are not sandq options (read by the JVM). */
    private static final Set<String> NOT_SANDQ = Set.of("JAVA_TOOL_OPTIONS");

    /** The CLI of the production jar, which the image runs: a development command (`up`, ...) here fails. */
    private static final CliOptions CLI = CliOptions.production();

    private static List<JsonNode> yamlDocuments(String relative) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(OpsFiles.path(relative).toFile())) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        }
        return docs;
    }

    private static JsonNode kind(String kind) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (String file : kustomizationResources()) {
            for (JsonNode doc : yamlDocuments("ops/kubernetes/" + file)) {
                if (doc.path("kind").asText().equals(kind)) {
                    found.add(doc);
                }
            }
        }
        assertEquals(1, found.size(), "manifests of kind " + kind);
        return found.get(0);
    }

    private static List<String> kustomizationResources() throws Exception {
        List<String> files = new ArrayList<>();
        yamlDocuments("ops/kubernetes/kustomization.yaml").get(0).path("resources").forEach(r -> files.add(r.asText()));
        return files;
    }

    private static Map<String, String> optionVariables(String command) {
        return CLI.keys(command).stream().filter(k -> !k.variable().isEmpty())
                .collect(Collectors.toMap(CliOptions.Key::variable, CliOptions.Key::flag, (a, b) -> a, TreeMap::new));
    }

    private static String optionDefault(String command, String flag) {
        return CLI.keys(command).stream().filter(k -> k.flag().equals(flag)).findFirst()
                .orElseThrow(() -> new AssertionError(command + " has no " + flag)).defaultValue();
    }

    private static void assertRealVariables(String where, String command, Set<String> variables) {
        Map<String, String> known = optionVariables(command);
        Set<String> unknown = new TreeSet<>();
        for (String v : variables) {
            if (!known.containsKey(v) && !NOT_SANDQ.contains(v)) {
                unknown.add(v);
            }
        }
        assertEquals(Set.of(), unknown, where + ": variables that are no option of `sandq " + command + "` ("
                + known.keySet() + ")");
    }

    @Test
    void everyKubernetesManifestParsesAndIsListedInTheKustomization() throws Exception {
        Set<String> listed = new TreeSet<>(kustomizationResources());
        Set<String> present = new TreeSet<>();
        try (var files = Files.list(OpsFiles.path("ops/kubernetes"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .forEach(present::add);
        }
        assertEquals(present, listed);
        Set<String> kinds = new TreeSet<>();
        for (String file : listed) {
            for (JsonNode doc : yamlDocuments("ops/kubernetes/" + file)) {
                assertTrue(doc.hasNonNull("apiVersion") && doc.hasNonNull("kind") && doc.path("metadata").hasNonNull("name"),
                        file + ": " + doc);
                kinds.add(doc.path("kind").asText());
            }
        }
        assertEquals(Set.of("Deployment", "NetworkPolicy", "PodDisruptionBudget", "ScaledObject"), kinds);
    }

    @Test
    void deploymentRunsTheWorkerWithRealVariablesImageAndPort() throws Exception {
        JsonNode pod = kind("Deployment").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertEquals("worker", container.path("args").get(0).asText());
        CLI.command("worker");
        Set<String> env = new TreeSet<>();
        container.path("env").forEach(e -> env.add(e.path("name").asText()));
        assertRealVariables("deployment.yaml", "worker", env);
        assertTrue(env.contains("SANDQ_BOOTSTRAP_SERVERS"), env.toString());

        String port = optionDefault("worker", "--metrics-port");
        assertEquals(port, String.valueOf(container.path("ports").get(0).path("containerPort").asInt()));
        assertEquals(port, env(container, "SANDQ_METRICS_PORT"));
        assertEquals(port, kind("Deployment").path("spec").path("template").path("metadata").path("annotations")
                .path("prometheus.io/port").asText());
        // --group's default depends on --delivery (a share group cannot have a consumer group's id)
        assertEquals(new dev.sandq.cli.WorkerCommand().groupId(dev.sandq.worker.DeliveryMode.AT_LEAST_ONCE),
                env(container, "SANDQ_GROUP"));
        assertEquals(optionDefault("worker", "--jobs-topic"), env(container, "SANDQ_JOBS_TOPIC"));
        assertEquals(optionDefault("worker", "--results-topic"), env(container, "SANDQ_RESULTS_TOPIC"));
        assertEquals(optionDefault("worker", "--dlt-topic"), env(container, "SANDQ_DLT_TOPIC"));

        String version = projectVersion().replace("-SNAPSHOT", "");
        assertEquals("ghcr.io/sandq/sandq:" + version, container.path("image").asText());
        assertTrue(Files.readString(OpsFiles.path("ops/Containerfile")).contains("ghcr.io/sandq/sandq:" + version));

        JsonNode security = container.path("securityContext");
        assertEquals(false, security.path("privileged").asBoolean(true));
        assertEquals(List.of("ALL"), texts(security.path("capabilities").path("drop")));
        assertEquals(List.of("SYS_ADMIN", "SETUID", "SETGID", "SETPCAP"), texts(security.path("capabilities").path("add")));
        assertTrue(pod.path("hostPID").isMissingNode() && pod.path("hostNetwork").isMissingNode());
    }

    @Test
    void probesNamePathsARunningWorkerAnswers() throws Exception {
        JsonNode container = kind("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
        OpsRig rig = OpsRig.get();
        HttpClient http = HttpClient.newHttpClient();
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertEquals("metrics", get.path("port").asText(), probe);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rig.health.port()
                    + get.path("path").asText())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), probe + " " + get);
        }
        assertEquals(Set.of("/readyz", "/healthz"), Set.of(
                container.path("readinessProbe").path("httpGet").path("path").asText(),
                container.path("livenessProbe").path("httpGet").path("path").asText()));
    }

    @Test
    void scaledObjectAndPolicyFollowTheDeploymentAndTheTopics() throws Exception {
        JsonNode deployment = kind("Deployment");
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        JsonNode trigger = kind("ScaledObject").path("spec").path("triggers").get(0);
        assertEquals(deployment.path("metadata").path("name").asText(),
                kind("ScaledObject").path("spec").path("scaleTargetRef").path("name").asText());
        assertEquals("kafka", trigger.path("type").asText());
        assertEquals(env(container, "SANDQ_GROUP"), trigger.path("metadata").path("consumerGroup").asText());
        assertEquals(env(container, "SANDQ_JOBS_TOPIC"), trigger.path("metadata").path("topic").asText());
        assertEquals(env(container, "SANDQ_BOOTSTRAP_SERVERS"), trigger.path("metadata").path("bootstrapServers").asText());
        JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
        for (String k : List.of("NetworkPolicy", "PodDisruptionBudget")) {
            JsonNode selector = k.equals("NetworkPolicy") ? kind(k).path("spec").path("podSelector")
                    : kind(k).path("spec").path("selector");
            assertEquals(labels, selector.path("matchLabels"), k);
        }
        JsonNode policy = kind("NetworkPolicy").path("spec");
        assertEquals(List.of("Ingress", "Egress"), texts(policy.path("policyTypes")));
        Set<Integer> egressPorts = new TreeSet<>();
        policy.path("egress").forEach(rule -> rule.path("ports").forEach(p -> egressPorts.add(p.path("port").asInt())));
        int kafkaPort = Integer.parseInt(env(container, "SANDQ_BOOTSTRAP_SERVERS").replaceAll(".*:", ""));
        int proxyPort = UpstreamProxy.parse(env(container, "SANDQ_EGRESS_PROXY")).port();
        assertEquals(Set.of(kafkaPort, proxyPort, 53), egressPorts, "egress only to Kafka, the proxy and DNS");
    }

    @Test
    void composeFileParsesAndRunsRealCommandsWithRealVariables() throws Exception {
        JsonNode compose = yamlDocuments("ops/compose/compose.yaml").get(0);
        JsonNode services = compose.path("services");
        assertTrue(services.path("kafka").path("image").asText().startsWith("docker.io/apache/kafka:"));
        int sandqServices = 0;
        for (var it = services.fields(); it.hasNext(); ) {
            var service = it.next();
            JsonNode command = service.getValue().path("command");
            if (!service.getValue().path("image").asText().contains("sandq")) {
                continue;
            }
            sandqServices++;
            List<String> words = new ArrayList<>();
            command.forEach(w -> words.add(w.asText()));
            String sub = String.join(" ", words);
            CLI.command(sub);
            Set<String> env = new TreeSet<>();
            service.getValue().path("environment").fieldNames().forEachRemaining(env::add);
            assertRealVariables("compose service " + service.getKey(), sub, env);
        }
        assertEquals(2, sandqServices, "topics and worker");
        JsonNode worker = services.path("worker");
        assertEquals(optionDefault("worker", "--metrics-port"), worker.path("environment").path("SANDQ_METRICS_PORT").asText());
        assertEquals(List.of("SYS_ADMIN", "SETUID", "SETGID", "SETPCAP"), texts(worker.path("cap_add")));
        assertEquals(true, compose.path("networks").path("backend").path("internal").asBoolean());
        assertEquals(List.of("backend"), texts(worker.path("networks")));

        assertEquals("true", worker.path("environment").path("SANDQ_ALLOW_NETWORK").asText());
        UpstreamProxy upstream = UpstreamProxy.parse(worker.path("environment").path("SANDQ_EGRESS_PROXY").asText());
        JsonNode proxy = services.path(upstream.host());
        assertTrue(texts(proxy.path("networks")).containsAll(List.of("backend", "edge")),
                "the worker's upstream is a service on its network with a way out: " + upstream);
        assertTrue(texts(proxy.path("volumes")).contains("./squid.conf:/etc/squid/squid.conf:ro"), proxy.toString());
        String squid = Files.readString(OpsFiles.path("ops/compose/squid.conf"));
        assertTrue(squid.contains("http_port " + upstream.port() + "\n"), "squid listens where the worker goes");
        assertTrue(squid.contains("http_access allow CONNECT sandq_worker\n"), "and allows its CONNECTs");
    }

    @Test
    void systemdUnitSetsOnlyRealVariables() throws Exception {
        String unit = Files.readString(OpsFiles.path("ops/systemd/sandq-worker.service"));
        Set<String> env = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^Environment=(\\w+)=").matcher(unit);
        while (m.find()) {
            env.add(m.group(1));
        }
        assertEquals(Set.of("SANDQ_METRICS_PORT", "SANDQ_DRAIN_TIMEOUT"), env);
        assertRealVariables("sandq-worker.service", "worker", env);
        assertTrue(unit.contains("sandq.jar worker\n"), "ExecStart runs the worker subcommand");
        assertTrue(unit.contains("CapabilityBoundingSet=CAP_SYS_ADMIN CAP_SETUID CAP_SETGID CAP_SETPCAP\n"));
    }

    @Test
    void theImageAndTheUnitRunTheProductionArtifactsOnly() throws Exception {
        String containerfile = Files.readString(OpsFiles.path("ops/Containerfile"));
        Set<String> copied = new TreeSet<>();
        Matcher copy = Pattern.compile("(?m)^COPY --from=build (\\S+) ").matcher(containerfile);
        while (copy.find()) {
            copied.add(copy.group(1));
        }
        assertEquals(Set.of("/src/consumer/target/sandq.jar", "/src/consumer/target/lib/"), copied,
                "the image's payload is consumer's jar and its lib/ (ProductionClasspathIT checks what they hold)");
        assertTrue(containerfile.contains("mvn -B -q -DskipTests -pl consumer -am package"), "builds no devkit");
        assertTrue(containerfile.contains("ENTRYPOINT [\"/usr/bin/tini\", \"--\", \"java\", \"-jar\", \"/opt/sandq/sandq.jar\"]"));
        String unit = Files.readString(OpsFiles.path("ops/systemd/sandq-worker.service"));
        assertTrue(unit.contains(" -jar /opt/sandq/sandq.jar worker\n"), "the unit runs the production jar");
        for (String file : List.of("ops/Containerfile", "ops/systemd/sandq-worker.service", "ops/compose/compose.yaml",
                "ops/kubernetes/deployment.yaml")) {
            String text = Files.readString(OpsFiles.path(file));
            for (String dev : List.of("devkit/target", "broker/target")) {
                assertTrue(!text.contains(dev), file + " names " + dev);
            }
        }
        String ignored = Files.readString(OpsFiles.path(".dockerignore"));
        assertTrue(ignored.lines().anyMatch("**/target"::equals), "a checkout's target/ stays out of the image");
    }

    /** A production worker lives long enough for C2 to pay back (docs/performance.md, "The JIT compiler"). */
    @Test
    void theImageAndTheUnitLeaveTheWorkerTheJvmsDefaultJit() throws Exception {
        for (String file : List.of("ops/Containerfile", "ops/systemd/sandq-worker.service")) {
            String text = Files.readString(OpsFiles.path(file));
            assertTrue(!Pattern.compile("(?m)^[^#]*TieredStopAtLevel").matcher(text).find(), file + " pins the JIT");
        }
    }

    @Test
    void aMadeUpVariableIsCaught() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> assertRealVariables("test", "worker", Set.of("SANDQ_METRIC_PORT")));
        assertTrue(e.getMessage().contains("SANDQ_METRIC_PORT"), e.getMessage());
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("no " + name + " in " + container.path("env"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String projectVersion() throws Exception {
        Matcher m = Pattern.compile("<artifactId>sandq-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(OpsFiles.path("pom.xml")));
        assertTrue(m.find(), "version in pom.xml");
        return m.group(1);
    }
}
