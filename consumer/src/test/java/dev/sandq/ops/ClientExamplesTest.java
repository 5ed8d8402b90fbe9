package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.ops.clients.PlainJavaClient;
import dev.sandq.ops.clients.SandqClientExample;
import dev.sandq.ops.clients.SpringClient;
import dev.sandq.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/clients.md's client examples, each run against the in-process broker and a real worker with
 * the default topic names (ClientsPageTest checks that the page shows each exactly as it is here).
 */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClientExamplesTest {
    /** Every example's job: an input file in, an output file back (as docs/clients.md shows). */
    private static final String JOB = "{\"language\":\"python3\",\"code\":\"import os\\nn = open('n.txt').read()\\n"
            + "print(n)\\nopen(os.environ['SANDQ_OUTPUT_DIR'] + '/answer.txt', 'w').write(n)\","
            + "\"files\":[{\"path\":\"n.txt\",\"content\":\"42\"}]}";
    private static OpsRig rig;

    @BeforeAll
    static void startBrokerAndWorker() throws Exception {
        rig = OpsRig.get();
    }

    private static void assertAnswered42(String resultJson) throws Exception {
        JsonNode result = new ObjectMapper().readTree(resultJson.trim());
        assertEquals("ok", result.path("status").asText(), resultJson);
        assertEquals("42\n", result.path("stdout").asText(), resultJson);
        JsonNode file = result.path("files").path(0);
        assertEquals("answer.txt", file.path("path").asText(), resultJson);
        assertEquals("NDI=", file.path("content").asText(), "base64 of 42: " + resultJson);
        assertEquals("text/plain", file.path("media_type").asText(), resultJson);
    }

    private static Tool.Run runScript(String... command) throws Exception {
        return Tool.run(OpsFiles.path("ops/clients"),
                Map.of("KAFKA", rig.bootstrap(), "NODE_PATH", OpsFiles.path("ops/checks/node_modules").toString()),
                120, command);
    }

    @Test
    void plainJavaProducerGetsTheResult() throws Exception {
        assertAnswered42(PlainJavaClient.submit(rig.bootstrap(), JOB, Duration.ofSeconds(60)));
    }

    @Test
    void sandqClientRunsAFunctionAndManyJobs() throws Exception {
        assertEquals("{\"sum\":3} 20", SandqClientExample.run(rig.bootstrap()));
    }

    @Test
    void sandqClientIsASpringBeanClosedWithItsContext() throws Exception {
        var context = new org.springframework.context.support.GenericApplicationContext();
        context.registerBean(dev.sandq.client.SandqClient.class,
                () -> dev.sandq.client.SandqClient.builder(rig.bootstrap()).build());
        context.refresh();
        dev.sandq.client.SandqClient client = context.getBean(dev.sandq.client.SandqClient.class);
        assertEquals("42\n", client.run(dev.sandq.client.Job.python("print(6*7)")).stdout());
        context.close(); // Spring closes an AutoCloseable bean with its context
        assertTrue(!client.healthy(), "the client's reply reader stopped with the context");
    }

    @Test
    void sandqPythonClientExampleRunsAFolderOfJobs() throws Exception {
        Tool.Run run = Tool.run(OpsFiles.path("ops/clients"), Map.of("KAFKA", rig.bootstrap(),
                "PYTHONPATH", OpsFiles.path("clients/python/src").toString()), 120,
                "/usr/bin/python3", "sandq-client-example.py");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().startsWith("42\n{'sum': 3}\n"), run.output());
        assertTrue(run.output().contains("square-9 81"), run.output());
    }

    @Test
    void sandqBatchRunsTheExamplesFolderAsTheQuickStartShows(@TempDir Path dir) throws Exception {
        // README's quick start: ./sandq batch examples --out results.jsonl
        Path results = dir.resolve("results.jsonl");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.sandq.cli.Main.commandLine(dev.sandq.cli.Main.forHost(),
                new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true),
                java.util.List.of()).execute("batch", "--bootstrap-servers", rig.bootstrap(), "--progress", "none",
                OpsFiles.path("examples").toString(), "--out", results.toString());
        assertEquals(0, code, err.toString());
        Map<String, JsonNode> byId = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(results)) {
            JsonNode r = new ObjectMapper().readTree(line);
            byId.put(r.path("id").asText(), r);
        }
        assertEquals(java.util.Set.of("hello.js", "hello.py"), byId.keySet(), byId.toString());
        assertTrue(byId.get("hello.py").path("stdout").asText().startsWith("hello from Python"), byId.toString());
        assertTrue(byId.get("hello.js").path("stdout").asText().startsWith("hello from Node.js"), byId.toString());
        assertTrue(err.toString().matches("(?s).*\\nok\\s+2\\n.*"), err.toString());
    }

    @Test
    void sandqBatchRunsTheExampleJsonlFile(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.jsonl");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.sandq.cli.Main.commandLine(dev.sandq.cli.Main.forHost(),
                new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true),
                java.util.List.of()).execute("batch", "--bootstrap-servers", rig.bootstrap(), "--progress", "none",
                OpsFiles.path("examples/jobs.jsonl").toString(), "--out", results.toString(), "--fail-on", "error");
        assertEquals(5, code, "the last job exits 3, an error status, which --fail-on error fails: " + err);
        Map<String, JsonNode> byId = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(results)) {
            JsonNode r = new ObjectMapper().readTree(line);
            byId.put(r.path("id").asText(), r);
        }
        assertEquals("49\n", byId.get("square").path("stdout").asText(), byId.toString());
        assertEquals(3, byId.get("sum").path("result").path("sum").asInt(), byId.toString());
        assertEquals("Hello, sandq!", byId.get("greeting").path("result").asText(), byId.toString());
        assertEquals("2,4,6\n", byId.get("node").path("stdout").asText(), byId.toString());
        assertEquals("error", byId.get("5").path("status").asText(), "line 5 has no id: its line number");
    }

    @Test
    void springReplyingKafkaTemplateGetsTheResult() throws Exception {
        assertAnswered42(SpringClient.submit(rig.bootstrap(), JOB, Duration.ofSeconds(60)));
    }

    @Test
    void kcatScriptGetsTheResult() throws Exception {
        Tool.require("kcat", "run ops/install-deps --test (Debian package kcat)");
        Tool.Run run = runScript("bash", "kcat-submit.sh");
        assertEquals(0, run.exitCode(), run.output());
        assertAnswered42(run.output());
    }

    @Test
    void kafkaPythonScriptGetsTheResult() throws Exception {
        // Debian's python3-kafka lives in /usr/bin/python3's path, not in other pythons on PATH.
        assertTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3");
        Tool.Run run = runScript("/usr/bin/python3", "submit-kafka-python.py");
        assertEquals(0, run.exitCode(), run.output());
        assertAnswered42(run.output());
    }

    @Test
    void kafkajsScriptGetsTheResult() throws Exception {
        String node = Tool.require("node", "run ops/install-deps (Debian package nodejs)");
        assertTrue(Files.isDirectory(OpsFiles.path("ops/checks/node_modules/kafkajs")),
                "run npm ci --prefix ops/checks (as .ci/run does)");
        Tool.Run run = runScript(node, "submit-kafkajs.js");
        assertEquals(0, run.exitCode(), run.output());
        assertAnswered42(run.output());
    }
}
