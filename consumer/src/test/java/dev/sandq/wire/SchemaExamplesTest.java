package dev.sandq.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.testing.Fast;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example under schemas/.../examples is judged by its schema as its folder says. */
@Fast
class SchemaExamplesTest {
    private static final Path EXAMPLES = Path.of("../schemas/src/main/resources/sandq/schemas/examples");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<Path> files(String kind, String validity) throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES.resolve(kind).resolve(validity))) {
            List<Path> list = s.sorted().toList();
            assertFalse(list.isEmpty(), "no examples in " + kind + "/" + validity);
            return list;
        }
    }

    private static JsonNode read(Path p) throws IOException {
        return MAPPER.readTree(p.toFile());
    }

    @Test
    void validJobExamplesPassTheSchemaAndTheParser() throws IOException {
        JobParser parser = new JobParser(1 << 20);
        for (Path p : files("job", "valid")) {
            assertEquals(List.of(), WireSchemas.get().validateJob(read(p)), p.toString());
            assertTrue(parser.parse(Files.readAllBytes(p)) instanceof JobParseOutcome.Valid, p.toString());
        }
    }

    @Test
    void invalidJobExamplesAreRejectedByTheParser() throws IOException {
        JobParser parser = new JobParser(1 << 20);
        for (Path p : files("job", "invalid")) {
            assertTrue(parser.parse(Files.readAllBytes(p)) instanceof JobParseOutcome.Invalid, p.toString());
        }
    }

    @Test
    void resultExamplesAreJudgedByTheResultSchema() throws IOException {
        for (Path p : files("result", "valid")) {
            assertEquals(List.of(), WireSchemas.get().validateResult(read(p)), p.toString());
        }
        for (Path p : files("result", "invalid")) {
            assertFalse(WireSchemas.get().validateResult(read(p)).isEmpty(), p.toString());
        }
    }
}
