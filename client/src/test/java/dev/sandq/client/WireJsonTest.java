package dev.sandq.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import dev.sandq.testing.Fast;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records against the JSON Schemas of module schemas: what the client writes, it must accept. */
@Fast
class WireJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonSchema schema(String name) throws Exception {
        try (InputStream in = WireJsonTest.class.getClassLoader().getResourceAsStream("sandq/schemas/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }
    }

    private static byte[] example(String path) throws Exception {
        try (InputStream in = WireJsonTest.class.getClassLoader()
                .getResourceAsStream("sandq/schemas/examples/" + path)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aMinimalJobHasOnlyLanguageAndCode() throws Exception {
        JsonNode json = MAPPER.readTree(WireJson.toJson(Job.python("print(1)")));
        assertEquals(MAPPER.readTree("{\"language\":\"python3\",\"code\":\"print(1)\"}"), json);
    }

    @Test
    void everyFieldIsWrittenInSnakeCaseAndTheJobSchemaAcceptsIt() throws Exception {
        Job job = Job.nodejs("function main(x) { return x; }").withId("j-1").withMode(Mode.FUNCTION)
                .withInputs(Map.of("a", 1)).withPreload("0;").withStdin("in").withNetwork(true)
                .withLimits(Limits.NONE.withWallTimeMs(2000).withCpuTimeMs(1000).withMemoryMb(128)
                        .withMaxOutputBytes(4096).withMaxProcesses(4).withMaxFileBytes(1024))
                .withDeadline(Instant.parse("2026-01-01T10:05:00Z"));
        JsonNode json = MAPPER.readTree(WireJson.toJson(job));
        assertEquals(List.of(), schema("job.schema.json").validate(json).stream().map(Object::toString).toList(),
                json.toString());
        assertEquals("nodejs", json.path("language").asText());
        assertEquals("function", json.path("mode").asText());
        assertTrue(json.path("enable_network").asBoolean());
        assertEquals(2000, json.path("limits").path("wall_time_ms").asInt());
        assertEquals(4096, json.path("limits").path("max_output_bytes").asInt());
        assertEquals("2026-01-01T10:05:00Z", json.path("deadline").asText());
        assertEquals(1, json.path("inputs").path("a").asInt());
    }

    @Test
    void extraFieldsAreSentBesideTheOthers() throws Exception {
        Job job = Job.python("print(1)").withExtra("files", List.of(Map.of("path", "a.txt", "content", "x")));
        JsonNode json = MAPPER.readTree(WireJson.toJson(job));
        assertEquals("a.txt", json.path("files").get(0).path("path").asText(), json.toString());
        assertFalse(json.has("extra"), json.toString());
    }

    @Test
    void theSchemasValidResultExamplesAreRead() throws Exception {
        Result ok = WireJson.result(example("result/valid/ok.json"));
        assertEquals(Status.OK, ok.status());
        assertEquals("job-42", ok.id());
        assertEquals("req-1", ok.correlationId());
        assertEquals("2\n", ok.stdout());
        assertEquals(new Usage(21, 15, 9120), ok.usage());
        assertEquals(Instant.parse("2026-01-01T10:00:00.021Z"), ok.finishedAt());
        assertTrue(ok.ok());
        Result function = WireJson.result(example("result/valid/function-result.json"));
        assertTrue(function.result() != null && !function.result().isNull(), function.toString());
        assertEquals(Status.REJECTED, WireJson.result(example("result/valid/rejected.json")).status());
    }

    @Test
    void fieldsAndStatusesOfANewerWorkerDoNotBreakReading() throws Exception {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(example("result/valid/ok.json"));
        node.putArray("files").addObject().put("path", "out.csv");
        node.put("files_truncated", false);
        node.put("status", "some_new_status");
        Result r = WireJson.result(MAPPER.writeValueAsBytes(node));
        assertEquals(Status.UNKNOWN, r.status());
        assertEquals("job-42", r.id());
    }

    @Test
    void somethingElseIsNotAResult() {
        assertThrows(java.io.UncheckedIOException.class,
                () -> WireJson.result("[1,2]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void limitsBelowOneAreRefusedNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> Limits.NONE.withMemoryMb(0));
        assertTrue(e.getMessage().contains("memory_mb") && e.getMessage().contains("0"), e.getMessage());
    }

    private static java.util.Set<String> schemaFields(String name, String list) throws Exception {
        try (InputStream in = WireJsonTest.class.getClassLoader().getResourceAsStream("sandq/schemas/" + name)) {
            JsonNode schema = MAPPER.readTree(in);
            java.util.Set<String> names = new java.util.TreeSet<>();
            if (list.equals("properties")) {
                schema.path("properties").fieldNames().forEachRemaining(names::add);
            } else {
                schema.path("required").forEach(n -> names.add(n.asText()));
            }
            return names;
        }
    }

    private static java.util.Set<String> components(Class<? extends Record> record) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (var c : record.getRecordComponents()) {
            if (!c.getName().equals("extra")) {
                names.add(c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }

    @Test
    void theRecordsHaveNoFieldTheSchemasLackAndEveryRequiredResultField() throws Exception {
        java.util.Set<String> jobFields = schemaFields("job.schema.json", "properties");
        assertTrue(jobFields.containsAll(components(Job.class)), components(Job.class) + " vs " + jobFields);
        java.util.Set<String> resultFields = schemaFields("result.schema.json", "properties");
        assertTrue(resultFields.containsAll(components(Result.class)), components(Result.class) + " vs " + resultFields);
        // optional fields a newer schema adds (files) may wait: Job.withExtra sends them, Result ignores them
        assertTrue(components(Result.class).containsAll(schemaFields("result.schema.json", "required")),
                "Result lacks a required field: " + schemaFields("result.schema.json", "required"));
        assertTrue(components(Limits.class).equals(fieldsOf("job.schema.json", "limits")), components(Limits.class)
                + " vs the schema's limits");
        assertTrue(components(Usage.class).equals(fieldsOf("result.schema.json", "usage")), components(Usage.class)
                + " vs the schema's usage");
    }

    private static java.util.Set<String> fieldsOf(String schema, String property) throws Exception {
        try (InputStream in = WireJsonTest.class.getClassLoader().getResourceAsStream("sandq/schemas/" + schema)) {
            java.util.Set<String> names = new java.util.TreeSet<>();
            MAPPER.readTree(in).path("properties").path(property).path("properties").fieldNames()
                    .forEachRemaining(names::add);
            return names;
        }
    }
}
