package dev.sandq.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.testing.Fast;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Fast
class DirectoryInputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyProgramUnderTheDirectoryIsAJobWithItsRelativePathAsId() throws Exception {
        Files.createDirectories(dir.resolve("sub/deeper"));
        Files.writeString(dir.resolve("a.py"), "print(1)");
        Files.writeString(dir.resolve("sub/b.js"), "console.log(2)");
        Files.writeString(dir.resolve("sub/deeper/c.mjs"), "console.log(3)");
        Files.writeString(dir.resolve("notes.txt"), "not a program");
        Files.writeString(dir.resolve("data.json"), "{}");
        BatchInput input = BatchInput.of(dir);
        assertEquals(3, input.count());
        List<BatchItem> items;
        try (var s = input.items()) {
            items = s.toList();
        }
        assertEquals(List.of("a.py", "sub/b.js", "sub/deeper/c.mjs"),
                items.stream().map(i -> ((BatchItem.JobItem) i).id()).toList());
        JsonNode a = MAPPER.readTree(((BatchItem.JobItem) items.get(0)).document());
        assertEquals("python3", a.path("language").asText());
        assertEquals("print(1)", a.path("code").asText());
        assertEquals("a.py", a.path("id").asText());
        assertEquals("nodejs", MAPPER.readTree(((BatchItem.JobItem) items.get(2)).document()).path("language").asText());
    }

    @Test
    void aProgramThatIsNotUtf8IsInvalid() throws Exception {
        Files.write(dir.resolve("bad.py"), new byte[] {'p', (byte) 0xff, (byte) 0xfe});
        try (var s = BatchInput.of(dir).items()) {
            var invalid = assertInstanceOf(BatchItem.Invalid.class, s.toList().get(0));
            assertEquals("bad.py", invalid.where());
        }
    }

    @Test
    void limitDefaultsGoIntoEveryProgramsJob() throws Exception {
        Files.writeString(dir.resolve("a.py"), "print(1)");
        try (var s = BatchInput.of(dir, new LimitDefaults(java.util.Map.of("wall_time_ms", 1500L))).items()) {
            JsonNode job = MAPPER.readTree(((BatchItem.JobItem) s.toList().get(0)).document());
            assertEquals(1500, job.path("limits").path("wall_time_ms").asInt(), job.toString());
        }
    }
}
