package dev.sandq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sandq.executor.Job;
import dev.sandq.executor.JobLimits;
import dev.sandq.executor.Language;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A job document as DESIGN.md's wire contract writes it (snake_case), read into a {@link Job}
 * for {@code sandq exec --job}. Only the script mode runs here; fields that only routing uses
 * ({@code id}, {@code deadline}) are accepted and ignored. Any other field is an error, so
 * that a misspelt limit never silently falls back to a default.
 */
final class JobDocument {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final Set<String> FIELDS = Set.of(
            "language", "code", "mode", "inputs", "preload", "stdin", "enable_network", "limits", "id", "deadline");
    private static final Set<String> LIMITS = Set.of(
            "wall_time_ms", "cpu_time_ms", "memory_mb", "max_output_bytes", "max_processes", "max_file_bytes");

    private JobDocument() {
    }

    /** Thrown for a document that is not a job; the message names the field and the problem. */
    static final class InvalidJobException extends Exception {
        InvalidJobException(String message) {
            super(message);
        }
    }

    static Job parse(String json) throws InvalidJobException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidJobException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidJobException("a job must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidJobException("unknown field '" + name + "'");
            }
        }

        String languageName = requiredText(root, "language");
        Language language = Language.fromWireName(languageName).orElseThrow(() -> new InvalidJobException(
                "'language' must be python3 or nodejs, got '" + languageName + "'"));
        String code = requiredText(root, "code");

        String mode = optionalText(root, "mode");
        if (mode != null && !mode.equals("script")) {
            throw new InvalidJobException("'mode' " + mode + " is not supported by sandq exec (only script)");
        }
        for (String modeField : new String[] {"inputs", "preload"}) {
            JsonNode value = root.get(modeField);
            if (value != null && !value.isNull() && !(value.isContainerNode() && value.isEmpty())
                    && !(value.isTextual() && value.asText().isEmpty())) {
                throw new InvalidJobException("'" + modeField + "' is only used by the function and template modes");
            }
        }

        String stdin = optionalText(root, "stdin");
        JsonNode network = root.get("enable_network");
        if (network != null && !network.isNull() && !network.isBoolean()) {
            throw new InvalidJobException("'enable_network' must be true or false, got " + network);
        }
        boolean enableNetwork = network != null && network.asBoolean(false);

        return new Job(language, code, stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8),
                limits(root.get("limits")), enableNetwork);
    }

    private static JobLimits limits(JsonNode node) throws InvalidJobException {
        if (node == null || node.isNull()) {
            return JobLimits.DEFAULTS;
        }
        if (!node.isObject()) {
            throw new InvalidJobException("'limits' must be an object, got " + node);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!LIMITS.contains(field.getKey())) {
                throw new InvalidJobException("unknown limit 'limits." + field.getKey() + "'");
            }
            JsonNode value = field.getValue();
            if (!value.isNull() && (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() <= 0)) {
                throw new InvalidJobException("'limits." + field.getKey() + "' must be a positive integer, got " + value);
            }
        }
        return new JobLimits(
                limit(node, "wall_time_ms"),
                limit(node, "cpu_time_ms"),
                limit(node, "memory_mb"),
                limit(node, "max_output_bytes"),
                limit(node, "max_processes"),
                limit(node, "max_file_bytes"));
    }

    private static Long limit(JsonNode limits, String name) {
        JsonNode value = limits.get(name);
        return value == null || value.isNull() ? null : value.asLong();
    }

    private static String requiredText(JsonNode root, String field) throws InvalidJobException {
        String value = optionalText(root, field);
        if (value == null) {
            throw new InvalidJobException("'" + field + "' is required");
        }
        return value;
    }

    private static String optionalText(JsonNode root, String field) throws InvalidJobException {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidJobException("'" + field + "' must be a string, got " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return value.asText();
    }
}
