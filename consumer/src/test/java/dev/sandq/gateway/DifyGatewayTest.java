package dev.sandq.gateway;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.executor.Language;
import dev.sandq.executor.PackagesLayout;
import dev.sandq.testing.Await;
import dev.sandq.testing.Slow;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway as Dify uses it, against a real broker, a real worker and the real sandbox: the
 * exact request bodies Dify's code executor sends, read back as Dify reads them.
 */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifyGatewayTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private GatewayRig rig;
    private DifyGateway gateway;

    @BeforeAll
    void start() throws Exception {
        rig = new GatewayRig();
        gateway = rig.gateway(60, GatewayConfig.NetworkRequests.STRIP);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    private HttpRequest.Builder request(DifyGateway g, String path) {
        return HttpRequest.newBuilder(GatewayRig.uri(g, path)).timeout(Duration.ofSeconds(90))
                .header("X-Api-Key", GatewayRig.KEY);
    }

    private HttpRequest run(DifyGateway g, String body) {
        return request(g, "/v1/sandbox/run").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** Asserts HTTP 200, code 0, message success, and returns data. */
    private static JsonNode success(HttpResponse<String> response) throws Exception {
        JsonNode doc = MAPPER.readTree(response.body());
        assertAll(
                () -> assertEquals(200, response.statusCode(), response::body),
                () -> assertEquals(0, doc.path("code").asInt(-99), response::body),
                () -> assertEquals("success", doc.path("message").asText(), response::body));
        return doc.path("data");
    }

    @Test
    void pythonCodeNodeAsDifySendsItReturnsTheResultInStdout() throws Exception {
        String code = "def main(arg1: str, arg2: str) -> dict:\n    return {\n        \"result\": arg1 + arg2,\n    }\n";
        String runner = DifyRunners.runner(DifyRunners.PYTHON3, code, "{\"arg1\": \"héllo \", \"arg2\": \"wörld ✓\"}");
        JsonNode data = success(send(run(gateway, DifyRunners.body("python3", runner, ""))));
        assertAll(
                () -> assertEquals("", data.path("error").asText("missing"), data::toString),
                () -> assertEquals(0, data.path("exit_code").asInt(-99)),
                () -> assertEquals("", data.path("stderr").asText("missing")),
                () -> assertEquals(MAPPER.readTree("{\"result\":\"héllo wörld ✓\"}"),
                        DifyRunners.result(data.path("stdout").asText())));
    }

    @Test
    void nodeCodeNodeAsDifySendsItReturnsTheResultInStdout() throws Exception {
        String code = "function main({arg1, arg2}) {\n    return {\n        result: arg1 + arg2\n    }\n}\n";
        String runner = DifyRunners.runner(DifyRunners.NODEJS, code, "{\"arg1\": 40, \"arg2\": 2}");
        JsonNode data = success(send(run(gateway, DifyRunners.body("nodejs", runner, ""))));
        assertEquals("", data.path("error").asText("missing"), data::toString);
        assertEquals(42, DifyRunners.result(data.path("stdout").asText()).path("result").asInt());
    }

    @Test
    void jinja2TemplateAsDifySendsItWithItsPreloadRendersInThePythonSandbox() throws Exception {
        String template = "Hello {{ name }}!{% for i in items %} [{{ i }}]{% endfor %}";
        String runner = DifyRunners.runner(DifyRunners.JINJA2, template, "{\"name\": \"Dify\", \"items\": [1, 2]}");
        JsonNode data = success(send(run(gateway, DifyRunners.body("python3", runner, DifyRunners.JINJA2_PRELOAD))));
        assertEquals("", data.path("error").asText("missing"), data::toString);
        assertEquals("Hello Dify! [1] [2]", DifyRunners.resultText(data.path("stdout").asText()));
    }

    @Test
    void threeHundredKilobytesOfOutputArriveWhole() throws Exception {
        String code = "def main(n: int) -> dict:\n    print('p' * n)\n    return {'big': 'x' * n}\n";
        String runner = DifyRunners.runner(DifyRunners.PYTHON3, code, "{\"n\": 300000}");
        JsonNode data = success(send(run(gateway, DifyRunners.body("python3", runner, ""))));
        String stdout = data.path("stdout").asText();
        assertEquals("", data.path("error").asText("missing"), () -> data.path("error").asText());
        assertTrue(stdout.startsWith("p".repeat(300_000) + "\n"), "the printed 300 KB came back whole");
        assertEquals(300_000, DifyRunners.result(stdout).path("big").asText().length());
    }

    @Test
    void fiftyConcurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        String code = "def main(i: int) -> dict:\n    return {'i': i, 'square': i * i}\n";
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String body = DifyRunners.body("python3", DifyRunners.runner(DifyRunners.PYTHON3, code, "{\"i\": " + i + "}"), "");
            calls.add(http.sendAsync(run(gateway, body), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 50; i++) {
            JsonNode result = DifyRunners.result(success(calls.get(i).get()).path("stdout").asText());
            assertEquals(i, result.path("i").asInt(-1));
            assertEquals(i * i, result.path("square").asInt(-1));
        }
    }

    @Test
    void failingCodeIsCodeZeroWithTheErrorFilledAsDifySandboxDoes() throws Exception {
        String runner = DifyRunners.runner(DifyRunners.PYTHON3, "def main() -> dict:\n    raise ValueError('bad input')\n", "{}");
        JsonNode data = success(send(run(gateway, DifyRunners.body("python3", runner, ""))));
        assertAll(
                () -> assertEquals(255, data.path("exit_code").asInt(), "DifySandbox's excepthook exits -1"),
                () -> assertTrue(data.path("error").asText().startsWith("process exited with code 255\n"), data::toString),
                () -> assertTrue(data.path("error").asText().contains("ValueError: bad input"), data::toString),
                () -> assertTrue(data.path("stderr").asText().contains("ValueError: bad input"), data::toString));
    }

    @Test
    void codeThatRunsTooLongIsCodeZeroWithATimeoutError() throws Exception {
        JsonNode data = success(send(run(gateway, DifyRunners.body("python3", "while True:\n    pass\n", ""))));
        assertTrue(data.path("error").asText().contains("error: timeout"), data::toString);
        assertEquals(-1, data.path("exit_code").asInt());
    }

    @Test
    void withoutOrWithAWrongApiKeyEveryApiCallIs401ButHealthIsOpen() throws Exception {
        String body = DifyRunners.body("python3", "print(1)", "");
        HttpResponse<String> none = send(HttpRequest.newBuilder(GatewayRig.uri(gateway, "/v1/sandbox/run"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(GatewayRig.uri(gateway, "/v1/sandbox/run"))
                .header("X-Api-Key", "not-the-key").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        HttpResponse<String> deps = send(HttpRequest.newBuilder(
                GatewayRig.uri(gateway, "/v1/sandbox/dependencies?language=python3")).GET().build());
        HttpResponse<String> health = send(HttpRequest.newBuilder(GatewayRig.uri(gateway, "/health")).GET().build());
        assertAll(
                () -> assertEquals(401, none.statusCode()),
                () -> assertEquals(401, wrong.statusCode()),
                () -> assertEquals(401, deps.statusCode()),
                () -> assertEquals(200, health.statusCode()),
                () -> assertEquals("\"ok\"", health.body()));
    }

    @Test
    void oneRunMoreThanMaxRequestsIs503WithCodeMinus503() throws Exception {
        try (DifyGateway small = rig.gateway(1, GatewayConfig.NetworkRequests.STRIP)) {
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                    run(small, DifyRunners.body("python3", "import time\ntime.sleep(1.5)\nprint('slow done')", "")),
                    HttpResponse.BodyHandlers.ofString());
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(5), () -> small.inFlight() >= 1,
                    () -> "the slow run in flight");
            HttpResponse<String> refused = send(run(small, DifyRunners.body("python3", "print(1)", "")));
            JsonNode doc = MAPPER.readTree(refused.body());
            assertAll(
                    () -> assertEquals(503, refused.statusCode()),
                    () -> assertEquals(-503, doc.path("code").asInt()),
                    () -> assertEquals("Too many requests", doc.path("message").asText()));
            assertEquals("slow done\n", success(slow.get()).path("stdout").asText());
        }
    }

    @Test
    void runsOneAfterAnotherAreNeverOneTooManyEvenAtMaxRequestsOne() throws Exception {
        try (DifyGateway small = rig.gateway(1, GatewayConfig.NetworkRequests.STRIP);
             KeepAliveHttp connection = new KeepAliveHttp(
                     new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), small.address().getPort()))) {
            for (int i = 0; i < 20; i++) {
                byte[] body = DifyRunners.body("python3", "print(" + i + ")", "").getBytes(StandardCharsets.UTF_8);
                KeepAliveHttp.Answer answer = connection.postJson("/v1/sandbox/run", GatewayRig.KEY, body);
                String text = new String(answer.body(), StandardCharsets.UTF_8);
                assertEquals(200, answer.status(), "run " + i + ", sent the instant the one before was answered: " + text);
                assertEquals(i + "\n", MAPPER.readTree(text).path("data").path("stdout").asText(), text);
            }
        }
    }

    @Test
    void networkAskedOfAWorkerWithoutNetworkingIsMinus400NamingTheFlagsWhenForwarded() throws Exception {
        try (DifyGateway forwarding = rig.gateway(5, GatewayConfig.NetworkRequests.FORWARD)) {
            DifyClient dify = new DifyClient(GatewayRig.uri(forwarding, "/"), GatewayRig.KEY, Duration.ofSeconds(60));
            DifyClient.CodeExecutionError e = assertThrows(DifyClient.CodeExecutionError.class,
                    () -> dify.executeCode("python3", "", "print(1)"));
            assertTrue(e.getMessage().startsWith("Got error code: -400. Got error msg: network is disabled, please "
                    + "enable it in the configuration: the sandq workers reject jobs that use the network"), e::getMessage);
            assertTrue(e.getMessage().contains("--allow-network") && e.getMessage().contains("--network-requests strip"),
                    e::getMessage);
            assertEquals(200, dify.last().status());
        }
    }

    @Test
    void badRequestsAreAnsweredAsDifySandboxDoes() throws Exception {
        HttpResponse<String> noCode = send(run(gateway, "{\"language\":\"python3\"}"));
        HttpResponse<String> ruby = send(run(gateway, "{\"language\":\"ruby\",\"code\":\"puts 1\"}"));
        assertAll(
                () -> assertEquals(400, noCode.statusCode(), "gin's BindJSON writes 400 for exactly application/json"),
                () -> assertEquals(-400, MAPPER.readTree(noCode.body()).path("code").asInt()),
                () -> assertEquals(400, ruby.statusCode()),
                () -> assertEquals("unsupported language", MAPPER.readTree(ruby.body()).path("message").asText()));
    }

    @Test
    void dependenciesListWhatSandqDepsInstalled() throws Exception {
        Path python = installedTree(Language.PYTHON3);
        for (String[] p : new String[][] {{"requests", "2.32.3"}, {"six", "1.16.0"}}) {
            Path distInfo = Files.createDirectories(python.resolve(p[0] + "-" + p[1] + ".dist-info"));
            Files.writeString(distInfo.resolve("METADATA"),
                    "Metadata-Version: 2.1\nName: " + p[0] + "\nVersion: " + p[1] + "\n\nbody\n");
        }
        Path scoped = Files.createDirectories(installedTree(Language.NODEJS).resolve("node_modules/@acme/left-pad"));
        Files.writeString(scoped.resolve("package.json"), "{\"name\":\"@acme/left-pad\",\"version\":\"1.3.0\"}");
        for (String path : List.of("/v1/sandbox/dependencies?language=python3",
                "/v1/sandbox/dependencies/refresh?language=python3")) {
            JsonNode data = success(send(request(gateway, path).GET().build()));
            assertEquals(MAPPER.readTree("{\"dependencies\":[{\"name\":\"jinja2\",\"version\":\"\"},"
                    + "{\"name\":\"httpx\",\"version\":\"\"},{\"name\":\"requests\",\"version\":\"2.32.3\"},"
                    + "{\"name\":\"six\",\"version\":\"1.16.0\"}]}"), data,
                    path + ": DifySandbox's built-in jinja2, httpx and requests, then what was installed");
        }
        JsonNode node = success(send(request(gateway, "/v1/sandbox/dependencies?language=nodejs").GET().build()));
        assertEquals("@acme/left-pad", node.path("dependencies").path(0).path("name").asText());
        HttpResponse<String> ruby = send(request(gateway, "/v1/sandbox/dependencies?language=ruby").GET().build());
        assertEquals(400, ruby.statusCode());
    }

    /** A tree as `sandq deps install` leaves it (PackagesLayout): ROOT/LANG/generations/ID, current -> it. */
    private Path installedTree(Language language) throws IOException {
        Path tree = Files.createDirectories(PackagesLayout.languageDir(rig.packages, language).resolve("generations/t1"));
        Files.createSymbolicLink(PackagesLayout.current(rig.packages, language), Path.of("generations/t1"));
        return tree;
    }
}
