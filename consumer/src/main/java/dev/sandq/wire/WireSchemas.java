package dev.sandq.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;

/** The JSON Schemas of the wire contract (module schemas), compiled once. Thread-safe. */
public final class WireSchemas {
    public static final String JOB_SCHEMA = "sandq/schemas/job.schema.json";
    public static final String RESULT_SCHEMA = "sandq/schemas/result.schema.json";
    public static final String DEAD_LETTER_SCHEMA = "sandq/schemas/dead-letter.schema.json";

    private static final WireSchemas INSTANCE = new WireSchemas();

    private final JsonSchema job;
    private final JsonSchema result;

    private WireSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .build();
        this.job = load(factory, config, JOB_SCHEMA);
        this.result = load(factory, config, RESULT_SCHEMA);
    }

    public static WireSchemas get() {
        return INSTANCE;
    }

    /** Problems of a job document, as "$.path: message" lines sorted by path; empty when valid. */
    public List<String> validateJob(JsonNode document) {
        return messages(job.validate(document));
    }

    /** Problems of a result document; empty when valid. */
    public List<String> validateResult(JsonNode document) {
        return messages(result.validate(document));
    }

    private static List<String> messages(java.util.Set<ValidationMessage> found) {
        return found.stream()
                .sorted(Comparator.comparing(m -> m.getInstanceLocation().toString()))
                .map(ValidationMessage::getMessage)
                .toList();
    }

    private static JsonSchema load(JsonSchemaFactory factory, SchemaValidatorsConfig config, String resource) {
        try (InputStream in = WireSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is not on the classpath");
            }
            return factory.getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + resource, e);
        }
    }
}
