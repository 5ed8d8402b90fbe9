package dev.sandq.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.testing.Fast;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Fast
class JsonlInputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private List<BatchItem> read(String... lines) throws Exception {
        Path file = dir.resolve("jobs.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        try (var items = JsonlInput.file(file).items()) {
            return items.toList();
        }
    }

    @Test
    void aLineWithoutIdGetsItsLineNumberAndOneWithAnIdKeepsIt() throws Exception {
        List<BatchItem> items = read("{\"language\":\"python3\",\"code\":\"print(1)\"}",
                "{\"id\":\"mine\",\"language\":\"nodejs\",\"code\":\"0;\"}");
        var first = assertInstanceOf(BatchItem.JobItem.class, items.get(0));
        assertEquals("1", first.id());
        assertEquals("line 1", first.where());
        assertEquals("1", MAPPER.readTree(first.document()).path("id").asText());
        assertEquals("print(1)", MAPPER.readTree(first.document()).path("code").asText());
        assertEquals("mine", ((BatchItem.JobItem) items.get(1)).id());
    }

    @Test
    void blankLinesAreSkippedAndLineNumbersStayTheFiles() throws Exception {
        List<BatchItem> items = read("", "{\"language\":\"python3\",\"code\":\"a\"}", "   ",
                "{\"language\":\"python3\",\"code\":\"b\"}");
        assertEquals(List.of("2", "4"), items.stream().map(i -> ((BatchItem.JobItem) i).id()).toList());
        Path file = dir.resolve("jobs.jsonl");
        assertEquals(2, JsonlInput.file(file).count());
    }

    @Test
    void aLineThatIsNotJsonIsInvalidWithItsLineNumber() throws Exception {
        List<BatchItem> items = read("{\"language\":\"python3\",\"code\":\"a\"}", "{not json");
        var invalid = assertInstanceOf(BatchItem.Invalid.class, items.get(1));
        assertEquals("line 2", invalid.where());
        assertTrue(invalid.reason().startsWith("not JSON"), invalid.reason());
    }

    @Test
    void aLineTheJobSchemaRefusesIsInvalidSayingWhy() throws Exception {
        List<BatchItem> items = read("{\"language\":\"cobol\",\"code\":\"a\"}", "{\"code\":\"a\"}", "[1]");
        assertEquals(3, items.size());
        items.forEach(i -> assertInstanceOf(BatchItem.Invalid.class, i));
        assertTrue(((BatchItem.Invalid) items.get(0)).reason().contains("language"), items.get(0).toString());
        assertTrue(((BatchItem.Invalid) items.get(1)).reason().contains("language"), items.get(1).toString());
    }

    @Test
    void aValidDocumentIsSentWithItsFieldsUnchanged() throws Exception {
        String line = "{\"id\":\"f\",\"language\":\"python3\",\"mode\":\"function\",\"code\":\"def main(a): return a\","
                + "\"inputs\":{\"a\":[1,2]},\"limits\":{\"wall_time_ms\":1000}}";
        var job = (BatchItem.JobItem) read(line).get(0);
        assertArrayEquals(MAPPER.writeValueAsBytes(MAPPER.readTree(line)), job.document());
    }

    @Test
    void standardInputIsReadOnceWithoutACount() throws Exception {
        JsonlInput in = JsonlInput.stream(new java.io.ByteArrayInputStream(
                "{\"language\":\"python3\",\"code\":\"a\"}\n\n{\"language\":\"nodejs\",\"code\":\"b\"}\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)), LimitDefaults.NONE);
        assertEquals(-1, in.count());
        try (var items = in.items()) {
            assertEquals(List.of("1", "3"), items.map(i -> ((BatchItem.JobItem) i).id()).toList());
        }
    }

    @Test
    void limitDefaultsFillWhatALineDoesNotSetItself() throws Exception {
        Path file = dir.resolve("jobs.jsonl");
        Files.writeString(file, "{\"language\":\"python3\",\"code\":\"a\",\"limits\":{\"memory_mb\":64}}\n"
                + "{\"language\":\"python3\",\"code\":\"b\"}\n");
        LimitDefaults defaults = new LimitDefaults(java.util.Map.of("memory_mb", 128L, "wall_time_ms", 2000L));
        List<BatchItem> items;
        try (var s = JsonlInput.file(file, defaults).items()) {
            items = s.toList();
        }
        assertEquals(MAPPER.readTree("{\"memory_mb\":64,\"wall_time_ms\":2000}"),
                MAPPER.readTree(((BatchItem.JobItem) items.get(0)).document()).path("limits"));
        assertEquals(MAPPER.readTree("{\"memory_mb\":128,\"wall_time_ms\":2000}"),
                MAPPER.readTree(((BatchItem.JobItem) items.get(1)).document()).path("limits"));
    }

    @Test
    void anUnknownOrNonPositiveLimitIsRefusedNamingIt() {
        var unknown = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LimitDefaults(java.util.Map.of("wall_ms", 5L)));
        assertTrue(unknown.getMessage().contains("wall_ms") && unknown.getMessage().contains("wall_time_ms"),
                unknown.getMessage());
        var zero = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LimitDefaults(java.util.Map.of("memory_mb", 0L)));
        assertTrue(zero.getMessage().contains("memory_mb") && zero.getMessage().contains("0"), zero.getMessage());
    }
}
