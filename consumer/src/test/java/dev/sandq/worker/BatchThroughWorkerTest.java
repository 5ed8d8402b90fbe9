package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.cli.Main;
import dev.sandq.testing.Slow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `sandq batch` through the CLI, against the shared broker and a worker with a stand-in sandbox. */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BatchThroughWorkerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private KafkaTestKit kit;
    private FakeSandbox sandbox;

    @TempDir
    Path dir;

    @BeforeEach
    void startWorker() throws Exception {
        kit = new KafkaTestKit(2);
        sandbox = new FakeSandbox(2);
        kit.startWorker(kit.config().build(), sandbox);
    }

    @AfterEach
    void stop() throws Exception {
        kit.close();
    }

    private record Run(int exitCode, String err) {
    }

    private Run batch(String... args) {
        List<String> all = new ArrayList<>(List.of("batch", "--bootstrap-servers", kit.bootstrap,
                "--jobs-topic", kit.topics.jobs(), "--results-topic", kit.topics.results(), "--progress", "none"));
        all.addAll(List.of(args));
        StringWriter err = new StringWriter();
        int code = Main.commandLine(Main.forHost(), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true), List.of()).execute(all.toArray(String[]::new));
        return new Run(code, err.toString());
    }

    private static Map<String, JsonNode> resultsById(Path file) throws Exception {
        Map<String, JsonNode> byId = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode r = MAPPER.readTree(line);
            JsonNode before = byId.put(r.path("id").asText(), r);
            assertEquals(null, before, "two results for " + r.path("id").asText());
        }
        return byId;
    }

    private Path jsonl(List<String> lines) throws Exception {
        Path file = dir.resolve("jobs.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private static String job(String code) {
        return "{\"language\":\"python3\",\"code\":" + KafkaTestKit.quote(code) + "}";
    }

    @Test
    void everyLineGetsOneResultLineWithItsIdAndTheSummaryCountsThem() throws Exception {
        List<String> lines = new ArrayList<>(IntStream.range(0, 40).mapToObj(i -> job("n" + i)).toList());
        lines.set(3, "{\"id\":\"named\",\"language\":\"python3\",\"code\":\"x\"}");
        Path results = dir.resolve("results.jsonl");
        Run run = batch(jsonl(lines).toString(), "--out", results.toString(), "--concurrency", "5");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, JsonNode> byId = resultsById(results);
        assertEquals(40, byId.size(), byId.keySet().toString());
        assertEquals("n0\n", byId.get("1").path("stdout").asText());
        assertEquals("n39\n", byId.get("40").path("stdout").asText());
        assertEquals("x\n", byId.get("named").path("stdout").asText());
        assertTrue(run.err().matches("(?s).*\\nok\\s+40\\n.*"), run.err());
        assertTrue(run.err().contains("client CPU:") && run.err().contains("ms per job"), run.err());
    }

    @Test
    void invalidLinesAreReportedWithTheirNumberAndTheOthersStillRun() throws Exception {
        Path results = dir.resolve("results.jsonl");
        Run run = batch(jsonl(List.of(job("a"), "{oops", job("b"), "{\"language\":\"cobol\",\"code\":\"c\"}",
                "{\"id\":\"1\",\"language\":\"python3\",\"code\":\"dup\"}")).toString(), "--out", results.toString());
        assertEquals(4, run.exitCode(), run.err());
        assertEquals(Map.of("1", "a\n", "3", "b\n"), Map.of("1", resultsById(results).get("1").path("stdout").asText(),
                "3", resultsById(results).get("3").path("stdout").asText()));
        assertEquals(2, resultsById(results).size());
        assertTrue(run.err().contains("line 2: not JSON"), run.err());
        assertTrue(run.err().contains("line 4: not a valid job"), run.err());
        assertTrue(run.err().contains("line 5: id 1 is not unique"), run.err());
    }

    @Test
    void aDirectoryOfProgramsRunsEachWithItsRelativePathAsId() throws Exception {
        Path programs = Files.createDirectories(dir.resolve("programs/sub"));
        Files.writeString(programs.resolve("a.py"), "from a");
        Files.writeString(programs.resolve("b.js"), "from b");
        Files.writeString(programs.resolve("README.md"), "not a program");
        Path results = dir.resolve("results.jsonl");
        Run run = batch(dir.resolve("programs").toString(), "--out", results.toString());
        assertEquals(0, run.exitCode(), run.err());
        Map<String, JsonNode> byId = resultsById(results);
        assertEquals("from a\n", byId.get("sub/a.py").path("stdout").asText());
        assertEquals("from b\n", byId.get("sub/b.js").path("stdout").asText());
        assertEquals(2, byId.size());
    }

    @Test
    void jobsFromStandardInputRunWithoutATotal() throws Exception {
        Path results = dir.resolve("results.jsonl");
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream((job("a") + "\n" + job("b") + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            Run run = batch("-", "--out", results.toString());
            assertEquals(0, run.exitCode(), run.err());
        } finally {
            System.setIn(stdin);
        }
        assertEquals("b\n", resultsById(results).get("2").path("stdout").asText());
    }

    @Test
    void resumeSendsOnlyTheJobsWithoutAResult() throws Exception {
        Path input = jsonl(IntStream.range(0, 20).mapToObj(i -> job("n" + i)).toList());
        Path results = dir.resolve("results.jsonl");
        // As a crash leaves it: 8 whole lines, then half of the 9th.
        List<String> earlier = IntStream.rangeClosed(1, 8).mapToObj(i -> "{\"id\":\"" + i + "\",\"status\":\"ok\"}")
                .toList();
        Files.writeString(results, String.join("\n", earlier) + "\n{\"id\":\"9\",\"sta");
        Run refused = batch(input.toString(), "--out", results.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("--resume"), refused.err());

        Run run = batch(input.toString(), "--out", results.toString(), "--resume");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(12, sandbox.runs.get(), "jobs run again");
        Map<String, JsonNode> byId = resultsById(results);
        assertEquals(20, byId.size(), byId.keySet().toString());
        assertEquals("n8\n", byId.get("9").path("stdout").asText());
        assertTrue(run.err().contains("answered before (--resume)"), run.err());
    }

    @Test
    void aJobWithoutAReplyInTimeIsListedAndTheExitCodeSaysSo() throws Exception {
        Path results = dir.resolve("results.jsonl");
        Run run = batch(jsonl(List.of(job("quick"), "{\"id\":\"slow\",\"language\":\"python3\",\"code\":\"sleep 20000\"}"))
                .toString(), "--out", results.toString(), "--timeout", "PT2S");
        assertEquals(4, run.exitCode(), run.err());
        assertEquals(List.of("1"), List.copyOf(resultsById(results).keySet()));
        assertTrue(run.err().contains("slow: no reply within 2s"), run.err());
    }

    @Test
    void aJobTooLargeForTheTopicIsReportedAndNotSent() throws Exception {
        Path results = dir.resolve("results.jsonl");
        Run run = batch(jsonl(List.of(job("small"), "{\"id\":\"huge\",\"language\":\"python3\",\"code\":\""
                + "x".repeat(200_000) + "\"}")).toString(), "--out", results.toString(),
                "-X", "max.request.size=100000");
        assertEquals(4, run.exitCode(), run.err());
        assertEquals(1, sandbox.runs.get());
        assertTrue(run.err().contains("huge (line 2): the job is 2000"), run.err());
    }

    @Test
    void failOnMakesAChosenStatusFailTheRun() throws Exception {
        Path results = dir.resolve("results.jsonl");
        Run run = batch(jsonl(List.of(job("a"))).toString(), "--out", results.toString(), "--fail-on", "error,ok");
        assertEquals(5, run.exitCode(), run.err());
        Run unknown = batch(jsonl(List.of(job("a"))).toString(), "--out", results.toString(), "--overwrite",
                "--fail-on", "bad");
        assertEquals(2, unknown.exitCode(), unknown.err());
        Run badLimit = batch(jsonl(List.of(job("a"))).toString(), "--out", results.toString(), "--overwrite",
                "--limit", "wall_ms=5");
        assertEquals(2, badLimit.exitCode(), badLimit.err());
        assertTrue(badLimit.err().contains("--limit: unknown limit 'wall_ms'"), badLimit.err());
    }
}
