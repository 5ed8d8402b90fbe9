package dev.sandq.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Jobs to JSON and JSON to results, as the wire contract spells them (snake_case, RFC 3339 times). */
public final class WireJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE);

    private WireJson() {
    }

    /** The job document: the job's fields (nulls left out), then its extra fields. */
    public static byte[] toJson(Job job) {
        ObjectNode node = MAPPER.valueToTree(job);
        job.extra().forEach((field, value) -> node.set(field, MAPPER.valueToTree(value)));
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write job " + job.id(), e);
        }
    }

    /**
     * A result document read into a {@link Result}; fields it does not know are ignored.
     *
     * @throws UncheckedIOException when it is not a result document
     */
    public static Result result(byte[] json) {
        try {
            return MAPPER.readValue(json, Result.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a sandq result: " + e.getMessage(), e);
        }
    }
}
