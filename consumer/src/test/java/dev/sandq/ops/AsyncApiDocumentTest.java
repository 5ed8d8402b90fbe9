package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sandq.testing.Slow;
import dev.sandq.wire.WireHeaders;
import dev.sandq.worker.topics.TopicNames;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AsyncAPI document, as it lies on the classpath beside the JSON Schemas (sandq/topics/ and
 * sandq/schemas/), validates with the official parser (@asyncapi/parser, ops/checks) and names
 * the topics and schemas the code uses.
 */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AsyncApiDocumentTest {
    private static final List<String> RESOURCES = List.of("sandq/topics/asyncapi.yaml",
            "sandq/schemas/job.schema.json", "sandq/schemas/result.schema.json", "sandq/schemas/dead-letter.schema.json");

    private static Path classpathLayout(Path dir) throws Exception {
        for (String r : RESOURCES) {
            try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream(r)) {
                assertTrue(in != null, "resource " + r);
                Path target = dir.resolve(r);
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            }
        }
        return dir.resolve(RESOURCES.get(0));
    }

    private static Tool.Run validate(Path document) throws Exception {
        String node = Tool.require("node", "run ops/install-deps (Debian package nodejs)");
        Path checks = OpsFiles.path("ops/checks");
        assertTrue(Files.isDirectory(checks.resolve("node_modules/@asyncapi/parser")),
                "ops/checks has no node_modules: run npm ci --prefix ops/checks (as .ci/run does)");
        return Tool.run(checks, Map.of(), 120, node, "validate-asyncapi.mjs", document.toString());
    }

    @Test
    void documentValidatesWithTheOfficialParser(@TempDir Path dir) throws Exception {
        Tool.Run run = validate(classpathLayout(dir));
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("VALID: asyncapi 3.0.0, channels sandq.jobs, sandq.results, sandq.jobs.dlt"),
                run.output());
    }

    @Test
    void parserRejectsAReferenceToAMissingSchema(@TempDir Path dir) throws Exception {
        Path doc = classpathLayout(dir);
        Files.writeString(doc, Files.readString(doc).replace("../schemas/job.schema.json", "../schemas/jobs.schema.json"));
        Tool.Run run = validate(doc);
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("jobs.schema.json"), run.output());
    }

    @Test
    void documentNamesTheDefaultTopicsAndEverySchema() throws Exception {
        JsonNode doc;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCES.get(0))) {
            doc = new YAMLMapper().readTree(in);
        }
        Set<String> addresses = new TreeSet<>();
        doc.path("channels").forEach(c -> addresses.add(c.path("address").asText()));
        TopicNames d = TopicNames.DEFAULTS;
        assertEquals(Set.of(d.jobs(), d.results(), d.deadLetters()), addresses);
        JsonNode messages = doc.path("components").path("messages");
        assertEquals("../schemas/job.schema.json", messages.path("job").path("payload").path("$ref").asText());
        assertEquals("../schemas/result.schema.json", messages.path("result").path("payload").path("$ref").asText());
        assertEquals("../schemas/dead-letter.schema.json",
                messages.path("deadLetter").path("headers").path("$ref").asText());
        assertEquals(Set.of(WireHeaders.CORRELATION_ID, WireHeaders.REPLY_TOPIC, WireHeaders.REPLY_PARTITION),
                fieldNames(messages.path("job").path("headers").path("properties")));
        assertEquals(Set.of(WireHeaders.CORRELATION_ID, WireHeaders.STAGES),
                fieldNames(messages.path("result").path("headers").path("properties")));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
