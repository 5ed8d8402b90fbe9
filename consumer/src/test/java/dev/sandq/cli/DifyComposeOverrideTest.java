package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.egress.UpstreamProxy;
import dev.sandq.gateway.GatewayConfig;
import dev.sandq.ops.OpsFiles;
import dev.sandq.testing.Fast;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * ops/dify/docker-compose.sandq.yaml, laid over Dify's compose with Dify's default .env, gives a
 * gateway and a worker configured as a Dify operator expects: Dify's key and port, network on,
 * the worker's upstream Dify's ssrf_proxy, every sandq service on Kafka's network, and squid's
 * rules mounted from a file that exists. (Whether squid then lets the tunnels through was checked
 * by hand with Debian's squid and Dify's template: docs/operating.md.)
 */
@Fast
class DifyComposeOverrideTest {
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z_]+:-([^}]*)}");

    private static final Path DIR = OpsFiles.path("ops/dify");

    private final JsonNode services = read().path("services");

    private static JsonNode read() {
        try {
            return new YAMLMapper().readTree(DIR.resolve("docker-compose.sandq.yaml").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A service's environment as compose gives it with Dify's .env unset: every {@code ${X:-d}} is d. */
    private Map<String, String> environment(String service) {
        Map<String, String> env = new HashMap<>();
        services.path(service).path("environment").fields()
                .forEachRemaining(e -> env.put(e.getKey(), withDefaults(e.getValue().asText())));
        return env;
    }

    private static String withDefaults(String value) {
        Matcher m = DEFAULTED.matcher(value);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void difysSandboxServiceBecomesTheGatewayWithDifysKeyPortAndNetwork() {
        JsonNode sandbox = services.path("sandbox");
        assertEquals(List.of("gateway"), texts(sandbox.path("command")));
        Map<String, String> env = new HashMap<>(DifySandboxEnvironmentTest.DIFY_COMPOSE);
        env.putAll(environment("sandbox"));
        GatewayConfig config = CliRun.gatewayConfig(env);
        assertEquals("dify-sandbox", config.apiKey());
        assertEquals(new InetSocketAddress(8194), config.listen(), "Dify's CODE_EXECUTION_ENDPOINT port");
        assertEquals(GatewayConfig.NetworkRequests.FORWARD, config.networkRequests());
        assertEquals(15_000, config.jobLimits().wallTimeMs(), "Dify's WORKER_TIMEOUT");
        String health = String.join(" ", texts(sandbox.path("healthcheck").path("test")));
        assertTrue(withDefaults(health).contains("/dev/tcp/127.0.0.1/8194") && health.contains("GET /health"), health);
    }

    @Test
    void theWorkerLetsJobsOutThroughDifysSsrfProxyOnly() {
        JsonNode worker = services.path("sandq-worker");
        assertEquals(List.of("worker"), texts(worker.path("command")));
        SandboxConfig config = CliRun.doctorConfig(environment("sandq-worker"));
        assertTrue(config.networkAllowed(), "Dify sends enable_network with every run");
        UpstreamProxy upstream = config.egressProxy().orElseThrow(() -> new AssertionError("no upstream"));
        assertEquals("ssrf_proxy", upstream.host());
        assertEquals(3128, upstream.port());
        assertEquals(4, config.slots());
        assertEquals(List.of("SYS_ADMIN", "SETUID", "SETGID", "SETPCAP"), texts(worker.path("cap_add")));
        assertTrue(texts(worker.path("networks")).contains("ssrf_proxy_network"), "where ssrf_proxy and Kafka are");
    }

    @Test
    void everySandqServiceReachesTheBrokerItAdvertises() {
        JsonNode kafka = services.path("sandq-kafka");
        assertEquals(List.of("ssrf_proxy_network"), texts(kafka.path("networks")), "never on Dify's default network");
        String advertised = kafka.path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText()
                .replaceFirst("^[A-Z]+://", "");
        for (String service : List.of("sandbox", "sandq-worker", "sandq-topics")) {
            assertEquals(advertised, environment(service).get("SANDQ_BOOTSTRAP_SERVERS"), service);
        }
        assertEquals(List.of("topics", "apply"), texts(services.path("sandq-topics").path("command")));
    }

    @Test
    void ssrfProxyGetsSandqsRulesFromAFileBesideTheOverride() throws Exception {
        List<String> volumes = texts(services.path("ssrf_proxy").path("volumes"));
        assertEquals(1, volumes.size(), volumes.toString());
        String[] mount = volumes.get(0).split(":");
        Path file = DIR.resolve(Path.of(mount[0]).getFileName());
        assertTrue(Files.isRegularFile(file), "the mounted file is ops/dify/" + mount[0]);
        assertTrue(mount[1].startsWith("/etc/squid/conf.d/") && mount[1].endsWith(".conf"),
                "Dify's squid.conf includes conf.d/*.conf: " + mount[1]);
        String rules = Files.readString(file);
        assertTrue(rules.contains("\nacl SSL_ports port 80\n"), "CONNECT to port 80 (plain HTTP through the tunnel)");
        assertTrue(rules.contains("\nhttp_access deny CONNECT sandq_not_public\n"), "private addresses refused again");
        assertTrue(rules.indexOf("deny CONNECT sandq_not_public") < rules.indexOf("allow CONNECT localnet"),
                "the refusal comes before the allow (squid takes the first match)");
    }
}
