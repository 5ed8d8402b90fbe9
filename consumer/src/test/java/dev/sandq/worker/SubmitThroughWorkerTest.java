package dev.sandq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.cli.Main;
import dev.sandq.testing.Slow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `sandq submit` (built on sandq-client) against the shared broker and a worker with a stand-in sandbox. */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SubmitThroughWorkerTest {
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

    private record Run(int exitCode, String out, String err) {
    }

    /** SubmitCommand prints to System.out and System.err, as the sandq process does. */
    private Run submit(String resultsTopic, String... args) {
        List<String> all = new ArrayList<>(List.of("submit", "--bootstrap-servers", kit.bootstrap,
                "--jobs-topic", kit.topics.jobs(), "--results-topic", resultsTopic));
        all.addAll(List.of(args));
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.commandLine(Main.forHost(), new PrintWriter(new StringWriter(), true),
                    new PrintWriter(new StringWriter(), true), List.of()).execute(all.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Test
    void aProgramIsAnsweredAndItsResultPrinted() throws Exception {
        Path program = Files.writeString(dir.resolve("hello.py"), "hello");
        Run run = submit(kit.topics.results(), program.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertEquals("ok", result.path("status").asText(), run.out());
        assertEquals("hello\n", result.path("stdout").asText(), run.out());
    }

    @Test
    void noWaitPrintsTheCorrelationIdOfTheJobSent() throws Exception {
        Path program = Files.writeString(dir.resolve("hello.py"), "hello");
        Run run = submit(kit.topics.results(), "--no-wait", program.toString());
        assertEquals(0, run.exitCode(), run.err());
        String correlationId = run.out().trim();
        var reply = kit.awaitReplies(1, java.time.Duration.ofSeconds(60)).get(0);
        assertEquals(correlationId, new String(reply.key(), StandardCharsets.UTF_8));
    }

    @Test
    void aMissingResultsTopicIsNamed() throws Exception {
        Path program = Files.writeString(dir.resolve("hello.py"), "hello");
        Run run = submit("no.such.results", program.toString());
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("no.such.results") && run.err().contains("sandq topics apply"), run.err());
    }

    @Test
    void aJobTooLargeForTheTopicIsRefusedAsBadUsageAndNotSent() throws Exception {
        Path program = Files.writeString(dir.resolve("big.py"), "x = '" + "x".repeat(200_000) + "'");
        Run run = submit(kit.topics.results(), "-X", "max.request.size=100000", program.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("the job is 2000") && run.err().contains("not sent"), run.err());
        assertEquals(0, sandbox.runs.get());
    }

    @Test
    void fileFlagsSendInputFilesAndOutWritesTheReturnedOnes() throws Exception {
        Path program = Files.writeString(dir.resolve("copy.py"), "return the files");
        Path data = Files.writeString(dir.resolve("data.csv"), "a,b\n1,2\n");
        Path out = dir.resolve("out");
        Run run = submit(kit.topics.results(), "--file", data + "=in/data.csv", "--out", out.toString(),
                program.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode file = new ObjectMapper().readTree(run.out()).path("files").path(0);
        assertEquals("in/data.csv", file.path("path").asText(), run.out());
        assertEquals("a,b\n1,2\n", Files.readString(out.resolve("in/data.csv")));
    }
}
