package dev.sandq.gateway;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.testing.Slow;
import dev.sandq.worker.topics.TopicApplier;
import dev.sandq.worker.topics.TopicCatalogue;
import dev.sandq.worker.topics.TopicNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Dify against sandq's default deployment, as Dify's own client sees it (issue 14): the requests
 * Dify's code executor sends, made by {@link DifyClient} (Dify's transformers and response handling
 * written again from its source), against `sandq gateway` with its defaults over a real broker and a
 * worker as `sandq up` starts it (the network allowed, through its egress proxy). For Python,
 * JavaScript and Jinja2: inputs of every JSON type, return values, stderr on success, syntax
 * errors, exceptions, timeouts, MiB-sized inputs and outputs, 20 runs at once; then what goes
 * wrong beyond the limits or without a worker, the network's refusals, and the protocol's details.
 * Every case asserts what Dify makes of the answer: the value, or the exact error it raises
 * (one request, never retried).
 */
@Slow
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifyConformanceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration DIFY_READ_TIMEOUT = Duration.ofSeconds(60);
    /** The wall time of the gateway the timeout cases use, so that they take seconds, not Dify's 15. */
    private static final long QUICK_WALL_MS = 2_000;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private GatewayRig rig;
    private DifyGateway gateway;
    private DifyGateway quick;
    private DifyClient dify;
    private DifyClient quickDify;
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        rig = new GatewayRig(true);
        gateway = rig.gateway(settings -> { });
        quick = rig.gateway(settings -> settings.jobLimits(new GatewayConfig.JobLimits(QUICK_WALL_MS, QUICK_WALL_MS,
                1024, 8L << 20)));
        dify = client(gateway);
        quickDify = client(quick);
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) { // gateways before the clients they use
            closeLater.get(i).close();
        }
        for (DifyGateway g : new DifyGateway[] {gateway, quick}) {
            if (g != null) {
                g.close();
            }
        }
        if (rig != null) {
            rig.close();
        }
    }

    private static DifyClient client(DifyGateway g) {
        return new DifyClient(GatewayRig.uri(g, "/"), GatewayRig.KEY, DIFY_READ_TIMEOUT);
    }

    private DifyGateway closing(DifyGateway g) {
        closeLater.add(g);
        return g;
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** The last answer's data: a code-0 envelope whose data has the four fields, typed as DifySandbox's main has them. */
    private static JsonNode data(DifyClient client) {
        DifyClient.Exchange last = client.last();
        JsonNode doc = json(last.body());
        assertAll(
                () -> assertEquals(200, last.status(), last::body),
                () -> assertTrue(last.contentType().startsWith("application/json"), last::contentType),
                () -> assertEquals(0, doc.path("code").asInt(-99), last::body),
                () -> assertEquals("success", doc.path("message").asText(), last::body),
                () -> assertTrue(doc.path("data").path("stdout").isTextual(), last::body),
                () -> assertTrue(doc.path("data").path("stderr").isTextual(), last::body),
                () -> assertTrue(doc.path("data").path("error").isTextual(), last::body),
                () -> assertTrue(doc.path("data").path("exit_code").isInt(), last::body));
        return doc.path("data");
    }

    /** The error Dify raises for a run of {@code code}, which must fail. */
    private static String failure(DifyClient client, String language, String code, JsonNode inputs) {
        return assertThrows(DifyClient.CodeExecutionError.class,
                () -> client.executeWorkflowCodeTemplate(language, code, inputs)).getMessage();
    }

    // ---- inputs of every JSON type, return values ----

    private static final JsonNode EVERY_TYPE = json("{\"s\": \"héllo \\\"wörld\\\"\\n''' \\\\ ✓ 中文 \\u0001\","
            + "\"big\": 9223372036854775807, \"neg\": -42, \"f\": 3.14, \"t\": true, \"no\": false, \"n\": null,"
            + "\"l\": [1, \"two\", [3.5, null]], \"o\": {\"k\": {\"deep\": [false, {}]}}, \"el\": [], \"eo\": {}}");

    @Test
    void pythonGetsInputsOfEveryJsonTypeAndReturnsThemAsDifyReadsThem() throws Exception {
        JsonNode result = dify.executeWorkflowCodeTemplate("python3",
                "def main(**inputs) -> dict:\n    return {\"echo\": inputs, \"types\": sorted(type(v).__name__ for v in "
                        + "inputs.values())}\n", EVERY_TYPE);
        assertEquals(EVERY_TYPE, result.path("echo"));
        assertEquals(json("[\"NoneType\",\"bool\",\"bool\",\"dict\",\"dict\",\"float\",\"int\",\"int\",\"list\","
                + "\"list\",\"str\"]"), result.path("types"));
        assertEquals("", data(dify).path("error").asText());
    }

    @Test
    void pythonReturnValuesOfEveryKindReachDify() throws Exception {
        JsonNode result = dify.executeWorkflowCodeTemplate("python3", """
                def main() -> dict:
                    return {"int": 1, "float": 0.5, "str": "✓ 中文", "list": [1, 2.5, "x", None, True],
                            "nested": {"a": {"b": [{"c": 1}]}}, "empty": {}, "sci": "1e+20"}
                """, json("{}"));
        assertEquals(json("{\"int\":1,\"float\":0.5,\"str\":\"✓ 中文\",\"list\":[1,2.5,\"x\",null,true],"
                + "\"nested\":{\"a\":{\"b\":[{\"c\":1}]}},\"empty\":{},\"sci\":1.0E20}"), result);
    }

    @Test
    void javascriptGetsInputsOfEveryJsonTypeAndReturnsThemAsDifyReadsThem() throws Exception {
        ObjectNode inputs = EVERY_TYPE.deepCopy();
        inputs.put("big", 9007199254740991L); // JavaScript's numbers are doubles: Dify's own limit, not sandq's
        JsonNode result = dify.executeWorkflowCodeTemplate("javascript", """
                function main(inputs) {
                    return {echo: inputs, types: Object.values(inputs).map(v => v === null ? 'null'
                        : Array.isArray(v) ? 'array' : typeof v).sort()}
                }
                """, inputs);
        assertEquals(inputs, result.path("echo"));
        assertEquals(json("[\"array\",\"array\",\"boolean\",\"boolean\",\"null\",\"number\",\"number\",\"number\","
                + "\"object\",\"object\",\"string\"]"), result.path("types"));
        JsonNode returned = dify.executeWorkflowCodeTemplate("javascript", """
                function main({arg1, arg2}) {
                    return {result: arg1 + arg2, list: [1, 2.5, 'x', null, true], nested: {a: {b: [{c: 1}]}}}
                }
                """, json("{\"arg1\": \"a\", \"arg2\": \"b\"}"));
        assertEquals(json("{\"result\":\"ab\",\"list\":[1,2.5,\"x\",null,true],\"nested\":{\"a\":{\"b\":[{\"c\":1}]}}}"),
                returned);
    }

    @Test
    void jinja2RendersInputsOfEveryJsonTypeAsPythonShowsThem() throws Exception {
        JsonNode result = dify.executeWorkflowCodeTemplate("jinja2", "{{ s }}|{{ big }}|{{ neg }}|{{ f }}|{{ t }}|{{ no }}"
                + "|{{ n }}|{{ l }}|{{ o }}|{{ el|length }}{{ eo|length }}|{% for k, v in o.items() %}{{ k }}={{ v.deep[0] }}"
                + "{% endfor %}\nsecond line\n", EVERY_TYPE);
        assertEquals("héllo \"wörld\"\n''' \\ ✓ 中文 \u0001|9223372036854775807|-42|3.14|True|False|None"
                + "|[1, 'two', [3.5, None]]|{'k': {'deep': [False, {}]}}|00|k=False\nsecond line",
                result.path("result").asText(), "Jinja2 drops the template's last newline");
    }

    // ---- stderr on success ----

    @Test
    void stderrOfAProgramThatSucceedsIsNotAnErrorForDify() throws Exception {
        JsonNode python = dify.executeWorkflowCodeTemplate("python3", """
                import logging, sys, warnings
                def main() -> dict:
                    print("to stderr", file=sys.stderr)
                    warnings.warn("careful")
                    logging.warning("logged")
                    return {"ok": True}
                """, json("{}"));
        assertEquals(json("{\"ok\":true}"), python);
        JsonNode pythonData = data(dify);
        assertAll(
                () -> assertEquals("", pythonData.path("error").asText()),
                () -> assertEquals(0, pythonData.path("exit_code").asInt()),
                () -> assertTrue(pythonData.path("stderr").asText().contains("to stderr"), pythonData::toString),
                () -> assertTrue(pythonData.path("stderr").asText().contains("UserWarning: careful"), pythonData::toString),
                () -> assertTrue(pythonData.path("stderr").asText().contains("WARNING:root:logged"), pythonData::toString));
        JsonNode node = dify.executeWorkflowCodeTemplate("javascript",
                "function main() {\n    console.error('to stderr')\n    console.warn('warned')\n    return {ok: true}\n}\n",
                json("{}"));
        assertEquals(json("{\"ok\":true}"), node);
        JsonNode nodeData = data(dify);
        assertEquals("", nodeData.path("error").asText());
        assertEquals("to stderr\nwarned\n", nodeData.path("stderr").asText());
    }

    // ---- syntax errors and exceptions: what DifySandbox's main answers, process exited with code N ----

    @Test
    void pythonSyntaxErrorsAndExceptionsExit255WithTheTracebackAsDifySandboxs() {
        String syntax = failure(dify, "python3", "def main(:\n    return {}\n", json("{}"));
        assertTrue(syntax.startsWith("process exited with code 255\n"), syntax);
        assertTrue(syntax.contains("File \"<fd3>\", line 1") && syntax.contains("SyntaxError: "), syntax);
        assertEquals(255, data(dify).path("exit_code").asInt());
        String raised = failure(dify, "python3", "def main(x: int) -> dict:\n    return {'r': 1 / x}\n",
                json("{\"x\": 0}"));
        assertTrue(raised.startsWith("process exited with code 255\nTraceback (most recent call last):\n"), raised);
        assertTrue(raised.contains("File \"<fd3>\", line 2, in main"), "the program's own line numbers: " + raised);
        assertTrue(raised.endsWith("ZeroDivisionError: division by zero\n"), raised);
        String exited = failure(dify, "python3", "import sys\ndef main() -> dict:\n    sys.exit(3)\n", json("{}"));
        assertEquals("process exited with code 3", exited);
    }

    @Test
    void javascriptSyntaxErrorsAndExceptionsExit1WithNodesMessage() {
        String syntax = failure(dify, "javascript", "function main( {\n    return {}\n}\n", json("{}"));
        assertTrue(syntax.startsWith("process exited with code 1\n") && syntax.contains("SyntaxError"), syntax);
        String thrown = failure(dify, "javascript", "function main() {\n    throw new Error('boom')\n}\n", json("{}"));
        assertTrue(thrown.startsWith("process exited with code 1\n") && thrown.contains("Error: boom"), thrown);
        assertEquals(1, data(dify).path("exit_code").asInt());
    }

    @Test
    void jinja2TemplateErrorsExit255WithJinjasException() {
        String syntax = failure(dify, "jinja2", "{% for x in %}{% endfor %}", json("{}"));
        assertTrue(syntax.startsWith("process exited with code 255\n") && syntax.contains("TemplateSyntaxError"), syntax);
        String raised = failure(dify, "jinja2", "{{ 1 / n }}", json("{\"n\": 0}"));
        assertTrue(raised.startsWith("process exited with code 255\n") && raised.contains("ZeroDivisionError"), raised);
    }

    // ---- timeouts ----

    @Test
    void aJobPastItsWallTimeIsAnsweredErrorTimeoutLongBeforeDifyGivesUp() {
        for (String[] lang : new String[][] {
                {"python3", "import time\ndef main() -> dict:\n    time.sleep(30)\n    return {}\n"},
                {"javascript", "function main() {\n    while (true) {}\n}\n"},
                {"jinja2", "{% for i in range(10 ** 12) %}{% endfor %}"}}) {
            String error = failure(quickDify, lang[0], lang[1], json("{}"));
            Duration took = quickDify.last().elapsed();
            assertTrue(error.startsWith("process exited with code -1\nerror: timeout: "), lang[0] + ": " + error);
            assertEquals(-1, data(quickDify).path("exit_code").asInt());
            assertTrue(took.compareTo(Duration.ofMillis(QUICK_WALL_MS + 10_000)) < 0, lang[0] + " took " + took);
        }
    }

    @Test
    void withNoWorkerTheGatewayAnswersAtItsTimeoutWithAClearError() throws Exception {
        KafkaJobClient idle = newTopics("gw-idle", Map.of());
        DifyGateway g = closing(rig.gateway(idle, settings -> settings.timeout(Duration.ofSeconds(3))));
        DifyClient client = client(g);
        String error = failure(client, "python3", "def main() -> dict:\n    return {}\n", json("{}"));
        assertTrue(error.startsWith("Got error code: -500. Got error msg: no sandq worker answered within 3000 ms "
                + "(sandq gateway --timeout): are workers running and consuming gw-idle.jobs on "), error);
        assertEquals(200, client.last().status(), "not 503: Dify would say only 'unavailable' (and may retry)");
        assertTrue(client.last().elapsed().compareTo(Duration.ofSeconds(10)) < 0, client.last()::toString);
    }

    @Test
    void aJobsTopicDeletedUnderTheGatewayIsAnsweredWithinSecondsNotAtDifysTimeout() throws Exception {
        KafkaJobClient gone = newTopics("gw-gone", Map.of());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", rig.broker.bootstrapServers()))) {
            admin.deleteTopics(List.of("gw-gone.jobs")).all().get(30, TimeUnit.SECONDS);
        }
        DifyGateway g = closing(rig.gateway(gone, settings -> { }));
        DifyClient client = client(g);
        String error = failure(client, "python3", "def main() -> dict:\n    return {}\n", json("{}"));
        assertTrue(error.startsWith("Got error code: -500. Got error msg: the job could not be sent to the jobs topic "
                + "gw-gone.jobs on "), error);
        assertTrue(error.contains("the topic does not exist or Kafka cannot be reached")
                && error.contains("`sandq topics apply` creates the topics"), error);
        assertTrue(client.last().elapsed().compareTo(Duration.ofSeconds(30)) < 0,
                "within the gateway's own timeout (45 s), far from Dify's 60: " + client.last().elapsed());
        KafkaJobClient.MissingTopicsException missing = assertThrows(KafkaJobClient.MissingTopicsException.class,
                () -> KafkaJobClient.start(Map.of("bootstrap.servers", rig.broker.bootstrapServers()), "gw-gone.jobs",
                        "gw-gone.results"));
        assertTrue(missing.getMessage().contains("gw-gone.jobs") && missing.getMessage().contains("sandq topics apply"),
                missing::getMessage);
    }

    // ---- large inputs and outputs ----

    @Test
    void pythonTakesAProgramOfMoreThan4MiBAndReturnsMiBsOfOutput() throws Exception {
        String cjk = "中文字".repeat(100_000); // 300,000 characters, 900,000 bytes of UTF-8
        String ascii = "a".repeat(2_600_000);
        ObjectNode inputs = MAPPER.createObjectNode().put("cjk", cjk).put("ascii", ascii);
        String program = DifyClient.runnerScript("python3", "", inputs);
        assertTrue(program.length() > 4 * 1024 * 1024, "the program is " + program.length() + " bytes");
        JsonNode result = dify.executeWorkflowCodeTemplate("python3", """
                def main(cjk: str, ascii: str) -> dict:
                    print("d" * (4 * 1024 * 1024))  # a debug print of 4 MiB, beside the result
                    return {"cjk": cjk, "ascii_length": len(ascii), "cjk_length": len(cjk)}
                """, inputs);
        assertAll(
                () -> assertEquals(cjk, result.path("cjk").asText()),
                () -> assertEquals(2_600_000, result.path("ascii_length").asInt()),
                () -> assertEquals(300_000, result.path("cjk_length").asInt()));
        assertTrue(data(dify).path("stdout").asText().length() > 4 * 1024 * 1024 + 6 * 300_000);
    }

    @Test
    void javascriptTakesAndReturnsAMiBOfText() throws Exception {
        String text = ("Dify ✓ 中文 " + "x".repeat(90)).repeat(10_000);
        JsonNode result = dify.executeWorkflowCodeTemplate("javascript",
                "function main({text}) {\n    return {text: text, length: text.length}\n}\n",
                MAPPER.createObjectNode().put("text", text));
        assertEquals(text, result.path("text").asText());
        assertEquals(text.length(), result.path("length").asInt());
    }

    @Test
    void jinja2RendersATemplateOf380000CjkCharacters() throws Exception {
        String template = "{{ greeting }} " + "文".repeat(380_000);
        JsonNode result = dify.executeWorkflowCodeTemplate("jinja2", template,
                MAPPER.createObjectNode().put("greeting", "你好"));
        assertEquals("你好 " + "文".repeat(380_000), result.path("result").asText());
    }

    @Test
    void beyondTheLimitsDifyGetsANonRetryableErrorNamingTheSizes() throws Exception {
        String twoMiB = "x".repeat(2 * 1024 * 1024);
        DifyClient smallCode = client(closing(rig.gateway(s -> s.maxCodeBytes(1 << 20))));
        String code = failure(smallCode, "python3", "def main(s: str) -> dict:\n    return {}\n",
                MAPPER.createObjectNode().put("s", twoMiB));
        assertTrue(code.matches("Got error code: -400\\. Got error msg: the code is \\d+ bytes, over the limit of "
                + "1048576 bytes \\(sandq gateway --max-code-bytes\\)"), code);
        assertEquals(200, smallCode.last().status());
        DifyClient smallBody = client(closing(rig.gateway(s -> s.maxBodyBytes(1 << 20))));
        String body = failure(smallBody, "python3", "def main(s: str) -> dict:\n    return {}\n",
                MAPPER.createObjectNode().put("s", twoMiB));
        assertTrue(body.matches("Got error code: -400\\. Got error msg: the request body is \\d+ bytes, over the limit "
                + "of 1048576 bytes \\(sandq gateway --max-body-bytes\\)"), body);
        KafkaJobClient smallTopic = newTopics("gw-small", Map.of("max.message.bytes", String.valueOf(1 << 20)));
        DifyClient smallRecord = client(closing(rig.gateway(smallTopic, s -> { })));
        String record = failure(smallRecord, "python3", "def main(s: str) -> dict:\n    return {}\n",
                MAPPER.createObjectNode().put("s", twoMiB));
        assertTrue(record.matches("Got error code: -400\\. Got error msg: the job is \\d+ bytes, over the 1047552 "
                + "bytes one record of the jobs topic gw-small\\.jobs holds .*sandq topics apply.*"), record);
        DifyClient smallOutput = client(closing(rig.gateway(s -> s.jobLimits(new GatewayConfig.JobLimits(15_000, 15_000,
                1024, 1 << 20)))));
        String output = failure(smallOutput, "python3", "def main() -> dict:\n    print('o' * (2 << 20))\n"
                + "    return {}\n", json("{}"));
        assertTrue(output.startsWith("process exited with code -1\nerror: output_limit: The job wrote more than 1048576 "
                + "bytes of output and was stopped.\n"), output);
    }

    // ---- 20 at once ----

    @Test
    void twentyConcurrentRunsOfTheThreeKindsEachGetTheirOwnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        JsonNode in = MAPPER.createObjectNode().put("n", n);
                        return switch (n % 3) {
                            case 0 -> dify.executeWorkflowCodeTemplate("python3",
                                    "def main(n: int) -> dict:\n    return {'v': 'py' + str(n * n)}\n", in).path("v").asText();
                            case 1 -> dify.executeWorkflowCodeTemplate("javascript",
                                    "function main({n}) {\n    return {v: 'js' + n * n}\n}\n", in).path("v").asText();
                            default -> dify.executeWorkflowCodeTemplate("jinja2", "j2{{ n * n }}", in).path("result")
                                    .asText();
                        };
                    } catch (Exception e) {
                        return "failed: " + e;
                    }
                }, pool));
            }
            for (int n = 0; n < 20; n++) {
                String prefix = switch (n % 3) {
                    case 0 -> "py";
                    case 1 -> "js";
                    default -> "j2";
                };
                assertEquals(prefix + n * n, answers.get(n).get(2, TimeUnit.MINUTES), "run " + n);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- the network Dify always asks for: out only through the egress proxy ----

    @Test
    void difysNetworkGoesOutOnlyThroughTheEgressProxyWhichRefusesMetadataPrivateAndTheHost() throws Exception {
        JsonNode result = dify.executeWorkflowCodeTemplate("python3", """
                import socket
                import httpx
                import requests

                def get(url):
                    try:
                        r = requests.get(url, timeout=10)
                        return str(r.status_code) + " " + r.text.strip()
                    except Exception as e:
                        return "EXC " + type(e).__name__

                def hx(url):
                    try:
                        r = httpx.get(url, timeout=10)
                        return str(r.status_code) + " " + r.text.strip()
                    except Exception as e:
                        return "EXC " + type(e).__name__

                def direct(host, port):
                    try:
                        socket.create_connection((host, port), timeout=3).close()
                        return "connected"
                    except OSError as e:
                        return "EXC errno " + str(e.errno)

                def main(port: int) -> dict:
                    return {
                        "metadata": get("http://169.254.169.254/latest/meta-data/"),
                        "metadata_httpx": hx("http://169.254.169.254/latest/meta-data/"),
                        "alibaba": get("http://100.100.100.200/latest/meta-data/"),
                        "private": get("http://10.0.0.1/"),
                        "host_gateway": get("http://127.0.0.1:%d/health" % port),
                        "direct_private": direct("10.0.0.1", 80),
                        "direct_metadata": direct("169.254.169.254", 80),
                    }
                """, MAPPER.createObjectNode().put("port", gateway.address().getPort()));
        assertAll(
                () -> assertTrue(result.path("metadata").asText().startsWith("403 sandq egress: refused GET "
                        + "http://169.254.169.254:80: 169.254.169.254 is link-local"), result::toString),
                () -> assertTrue(result.path("metadata_httpx").asText().startsWith("403 sandq egress: refused"),
                        result::toString),
                () -> assertTrue(result.path("alibaba").asText().startsWith("403 sandq egress: refused"), result::toString),
                () -> assertTrue(result.path("private").asText().startsWith("403 sandq egress: refused GET "
                        + "http://10.0.0.1:80: 10.0.0.1 is in the denied range 10.0.0.0/8"), result::toString),
                () -> assertFalse(result.path("host_gateway").asText().startsWith("200"), result::toString),
                () -> assertEquals("EXC errno 101", result.path("direct_private").asText(), "ENETUNREACH: only lo"),
                () -> assertEquals("EXC errno 101", result.path("direct_metadata").asText()));
    }

    @Test
    void aGatewayRefusingTheNetworkAnswersAsDifySandboxWithEnableNetworkFalse() throws Exception {
        DifyClient refusing = client(closing(rig.gateway(s -> s.networkRequests(GatewayConfig.NetworkRequests.REFUSE))));
        assertEquals("Got error code: -400. Got error msg: network is disabled, please enable it in the configuration",
                failure(refusing, "python3", "def main() -> dict:\n    return {}\n", json("{}")));
        assertEquals(200, refusing.last().status());
    }

    // ---- the protocol's details ----

    private HttpResponse<String> send(String method, String path, String contentType, String body, boolean key)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(GatewayRig.uri(gateway, path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (key) {
            b.header("X-Api-Key", GatewayRig.KEY);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unknownPathsAndMethodsAre404BeforeTheKeyAndATrailingSlashIsRedirectedAsGinDoes() throws Exception {
        for (String[] call : new String[][] {{"GET", "/v1/sandbox/run"}, {"POST", "/health"},
                {"GET", "/v1/sandbox/dependencies/update"}, {"PUT", "/v1/sandbox/run"}, {"GET", "/nonexistent"}}) {
            HttpResponse<String> r = send(call[0], call[1], null, null, false);
            assertEquals(404, r.statusCode(), call[0] + " " + call[1]);
            assertEquals("404 page not found", r.body(), call[0] + " " + call[1]);
        }
        HttpResponse<String> slash = send("POST", "/v1/sandbox/run/?x=1", "application/json", "{}", true);
        assertEquals(307, slash.statusCode());
        assertEquals("/v1/sandbox/run?x=1", slash.headers().firstValue("Location").orElse(""));
        assertEquals(301, send("GET", "/v1/sandbox/dependencies/?language=python3", null, null, true).statusCode());
        HttpResponse<String> noKey = send("POST", "/v1/sandbox/run", "application/json", "{}", false);
        assertEquals(401, noKey.statusCode());
        assertEquals("", noKey.body());
        HttpResponse<String> health = send("GET", "/health", null, null, false);
        assertEquals(200, health.statusCode());
        assertEquals("\"ok\"", health.body());
    }

    @Test
    void aMissingLanguageIsAnsweredAsDifySandboxAnswersItForEachContentType() throws Exception {
        String missing = "Key: 'Language' Error:Field validation for 'Language' failed on the 'required' tag";
        HttpResponse<String> exact = send("POST", "/v1/sandbox/run", "application/json", "{\"code\":\"print(1)\"}", true);
        assertEquals(400, exact.statusCode(), "gin's BindJSON writes 400 for exactly application/json, as Dify sends");
        assertEquals(json("{\"code\":-400,\"message\":\"" + missing + "\",\"data\":null}"), json(exact.body()));
        HttpResponse<String> charset = send("POST", "/v1/sandbox/run", "application/json; charset=utf-8",
                "{\"code\":\"print(1)\"}", true);
        assertEquals(200, charset.statusCode());
        assertEquals(json("{\"code\":-400,\"message\":\"" + missing + "\",\"data\":null}"), json(charset.body()));
        HttpResponse<String> ruby = send("POST", "/v1/sandbox/run", "application/json",
                "{\"language\":\"ruby\",\"code\":\"puts 1\"}", true);
        assertEquals(400, ruby.statusCode());
        assertEquals(json("{\"code\":-400,\"message\":\"unsupported language\",\"data\":null}"), json(ruby.body()));
    }

    @Test
    void formBodiesAndTheQueryStringRunAsJsonDoes() throws Exception {
        HttpResponse<String> form = send("POST", "/v1/sandbox/run", "application/x-www-form-urlencoded",
                "language=python3&code=print%286+*+7%29&enable_network=true", true);
        assertEquals(200, form.statusCode(), form::body);
        assertEquals("42\n", json(form.body()).path("data").path("stdout").asText(), form::body);
        HttpResponse<String> query = send("POST", "/v1/sandbox/run?language=nodejs&code=console.log(6*7)", null, null,
                true);
        assertEquals("42\n", json(query.body()).path("data").path("stdout").asText(), query::body);
    }

    @Test
    void thePreloadIsDroppedUnlessTheGatewayEnablesItAsDifySandboxDoes() throws Exception {
        String preload = "print('preloaded')\nvalue = 41\n";
        String code = "print('value' in globals() and value + 1)\n";
        assertEquals("False\n", dify.executeCode("python3", preload, code));
        DifyClient enabled = client(closing(rig.gateway(s -> s.enablePreload(true))));
        assertEquals("preloaded\n42\n", enabled.executeCode("python3", preload, code));
    }

    @Test
    void dependenciesAndTheirUpdateAnswerAsDifySandbox() throws Exception {
        HttpResponse<String> update = send("POST", "/v1/sandbox/dependencies/update", "application/json",
                "{\"language\":\"python3\"}", true);
        assertEquals(200, update.statusCode());
        assertEquals(json("{\"code\":0,\"message\":\"success\",\"data\":{}}"), json(update.body()));
        JsonNode list = json(send("GET", "/v1/sandbox/dependencies?language=python3", null, null, true).body());
        assertEquals(json("[{\"name\":\"jinja2\",\"version\":\"\"},{\"name\":\"httpx\",\"version\":\"\"},"
                + "{\"name\":\"requests\",\"version\":\"\"}]"), list.path("data").path("dependencies"));
        HttpResponse<String> noLanguage = send("GET", "/v1/sandbox/dependencies", null, null, true);
        assertEquals(200, noLanguage.statusCode());
        assertEquals(-400, json(noLanguage.body()).path("code").asInt());
        assertEquals(400, send("POST", "/v1/sandbox/dependencies/update", "application/json", "{\"language\":\"ruby\"}",
                true).statusCode());
    }

    @Test
    void theFourPackagesDifysUsersImportAreThere() throws Exception {
        JsonNode result = dify.executeWorkflowCodeTemplate("python3", """
                import httpx, jinja2, requests, socks
                def main() -> dict:
                    return {"modules": [m.__name__ for m in (httpx, jinja2, requests, socks)]}
                """, json("{}"));
        assertEquals(json("[\"httpx\",\"jinja2\",\"requests\",\"socks\"]"), result.path("modules"));
    }

    /** Topics of their own (the catalogue's, or with {@code configs}), no worker on them, and a client. */
    private KafkaJobClient newTopics(String prefix, Map<String, String> configs) throws Exception {
        TopicNames names = TopicNames.withPrefix(prefix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", rig.broker.bootstrapServers()))) {
            if (configs.isEmpty()) {
                new TopicApplier(admin).apply(TopicCatalogue.load(names).withPartitions(1));
            } else {
                admin.createTopics(List.of(new NewTopic(names.jobs(), 1, (short) 1).configs(configs),
                        new NewTopic(names.results(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
        KafkaJobClient client = KafkaJobClient.start(Map.of("bootstrap.servers", rig.broker.bootstrapServers()),
                names.jobs(), names.results());
        closeLater.add(client);
        return client;
    }
}
