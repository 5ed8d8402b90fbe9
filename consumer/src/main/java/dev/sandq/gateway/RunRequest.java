package dev.sandq.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.UUID;

/**
 * The body of {@code POST /v1/sandbox/run} as Dify sends it: {@code language} ("python3" or
 * "nodejs"), {@code code} (a complete program: Dify has already wrapped the user's code in its
 * runner), {@code preload}, {@code enable_network}. Other fields (Dify's dependencies list) are
 * ignored, as DifySandbox ignores them.
 */
public record RunRequest(String language, String code, String preload, boolean enableNetwork) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Thrown for a body DifySandbox's binder would refuse; the message is its -400 message. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    public static RunRequest parse(byte[] body) throws Invalid {
        JsonNode doc;
        try {
            doc = MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Invalid("the request body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Invalid("the request body could not be read: " + e.getMessage());
        }
        if (doc == null || !doc.isObject()) {
            throw new Invalid("the request body must be a JSON object");
        }
        String language = text(doc, "language", true);
        String code = text(doc, "code", true);
        String preload = text(doc, "preload", false);
        JsonNode network = doc.path("enable_network");
        if (!network.isMissingNode() && !network.isNull() && !network.isBoolean()) {
            throw new Invalid("enable_network must be a boolean, got " + network);
        }
        return new RunRequest(language, code, preload == null ? "" : preload, network.asBoolean(false));
    }

    private static String text(JsonNode doc, String field, boolean required) throws Invalid {
        JsonNode v = doc.path(field);
        if (v.isMissingNode() || v.isNull()) {
            if (required) {
                throw new Invalid("the field '" + field + "' is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new Invalid("the field '" + field + "' must be a string, got " + v.getNodeType());
        }
        if (required && v.asText().isEmpty()) {
            throw new Invalid("the field '" + field + "' is required");
        }
        return v.asText();
    }

    /** The sandq job: script mode (Dify sends whole programs), deadline when the caller stops waiting. */
    public byte[] toJob(boolean allowNetwork, long deadlineEpochMs) {
        ObjectNode job = MAPPER.createObjectNode();
        job.put("id", "gateway-" + UUID.randomUUID());
        job.put("language", language);
        job.put("mode", "script");
        job.put("code", code);
        if (!preload.isEmpty()) {
            job.put("preload", preload);
        }
        job.put("enable_network", allowNetwork && enableNetwork);
        job.put("deadline", deadlineEpochMs);
        try {
            return MAPPER.writeValueAsBytes(job);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
