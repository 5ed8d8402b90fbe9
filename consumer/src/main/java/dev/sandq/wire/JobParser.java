package dev.sandq.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.executor.InputFile;
import dev.sandq.executor.JobLimits;
import dev.sandq.executor.Language;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Turns the bytes of a job record into a {@link JobRequest}, or into one sentence that says why
 * they are not a job. Never throws for any input. Thread-safe.
 */
public final class JobParser {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The largest code (preload included) a worker takes unless told otherwise: 8 MiB. */
    public static final long DEFAULT_MAX_CODE_BYTES = 8L << 20;
    /** The largest input (stdin and the inputs' JSON) a worker takes unless told otherwise: 8 MiB. */
    public static final long DEFAULT_MAX_INPUT_BYTES = 8L << 20;

    private final long maxCodeBytes;
    private final long maxInputBytes;

    /** @param maxCodeBytes the largest code (UTF-8 bytes, preload included) a job may carry; its input is not limited */
    public JobParser(long maxCodeBytes) {
        this(maxCodeBytes, Long.MAX_VALUE);
    }

    /**
     * @param maxCodeBytes  the largest code (UTF-8 bytes, preload included) a job may carry
     * @param maxInputBytes the largest input (UTF-8 bytes of stdin and of the inputs' JSON together)
     */
    public JobParser(long maxCodeBytes, long maxInputBytes) {
        if (maxCodeBytes < 1) {
            throw new IllegalArgumentException("maxCodeBytes must be positive, got " + maxCodeBytes);
        }
        if (maxInputBytes < 1) {
            throw new IllegalArgumentException("maxInputBytes must be positive, got " + maxInputBytes);
        }
        this.maxCodeBytes = maxCodeBytes;
        this.maxInputBytes = maxInputBytes;
    }

    public JobParseOutcome parse(byte[] value) {
        if (value == null) {
            return invalid("The job record has no value (a tombstone is not a job).", null);
        }
        String text;
        try {
            text = strictUtf8(value);
        } catch (CharacterCodingException e) {
            return invalid("The job is not valid UTF-8.", null);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return invalid("The job is not valid JSON: " + e.getOriginalMessage() + ".", null);
        }
        if (tree == null || tree.isMissingNode()) {
            return invalid("The job is empty; expected a JSON object.", null);
        }
        if (!tree.isObject()) {
            return invalid("The job must be a JSON object, got " + describe(tree.getNodeType()) + ".", null);
        }
        return parseObject((ObjectNode) tree);
    }

    private JobParseOutcome parseObject(ObjectNode doc) {
        String id = doc.path("id").isTextual() ? doc.get("id").asText() : null;
        JsonNode language = doc.get("language");
        if (language != null && language.isTextual() && Language.fromWireName(language.asText()).isEmpty()) {
            return invalid("Unknown language '" + language.asText() + "'; expected python3 or nodejs.", id);
        }
        List<String> problems = WireSchemas.get().validateJob(doc);
        if (!problems.isEmpty()) {
            return invalid("The job does not match the job schema: " + String.join("; ", problems) + ".", id);
        }
        String code = doc.get("code").asText();
        String preload = doc.path("preload").asText("");
        long codeBytes = (long) code.getBytes(StandardCharsets.UTF_8).length
                + preload.getBytes(StandardCharsets.UTF_8).length;
        if (codeBytes > maxCodeBytes) {
            return invalid("The code is " + codeBytes + " bytes, over the limit of " + maxCodeBytes + " bytes.", id);
        }
        String stdin = doc.path("stdin").asText("");
        ObjectNode inputs = doc.has("inputs") ? (ObjectNode) doc.get("inputs") : MAPPER.createObjectNode();
        if (maxInputBytes < Long.MAX_VALUE) {
            long inputBytes = (long) stdin.getBytes(StandardCharsets.UTF_8).length + jsonBytes(inputs);
            if (inputBytes > maxInputBytes) {
                return invalid("The input (stdin and inputs) is " + inputBytes + " bytes, over the limit of "
                        + maxInputBytes + " bytes.", id);
            }
        }
        List<InputFile> files;
        try {
            files = files(doc.get("files"));
        } catch (IllegalArgumentException e) {
            return invalid(e.getMessage(), id);
        }
        Language lang = Language.fromWireName(doc.get("language").asText()).orElseThrow();
        JobMode mode = JobMode.fromWireName(doc.path("mode").asText("script")).orElseThrow();
        if (mode == JobMode.TEMPLATE && lang != Language.PYTHON3) {
            return invalid("Template mode renders Jinja2 and needs language python3, got " + lang.wireName() + ".", id);
        }
        Instant deadline;
        try {
            deadline = deadline(doc.get("deadline"));
        } catch (DateTimeParseException e) {
            return invalid("The deadline '" + doc.get("deadline").asText() + "' is not an RFC 3339 date-time.", id);
        }
        return new JobParseOutcome.Valid(new JobRequest(
                id, lang, code, mode, inputs, preload, stdin,
                doc.path("enable_network").asBoolean(false), limits(doc.get("limits")), deadline, files));
    }

    /** The input files, decoded; their paths and sizes are the sandbox's to judge (InputFiles). */
    private static List<InputFile> files(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        List<InputFile> files = new ArrayList<>();
        for (JsonNode file : node) {
            String path = file.get("path").asText();
            String content = file.get("content").asText();
            byte[] bytes;
            if (file.path("encoding").asText("utf8").equals("base64")) {
                try {
                    bytes = Base64.getDecoder().decode(content.replaceAll("[\\r\\n ]", ""));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("The content of the input file '" + path
                            + "' is not valid base64: " + e.getMessage() + ".");
                }
            } else {
                bytes = content.getBytes(StandardCharsets.UTF_8);
            }
            files.add(new InputFile(path, bytes, file.path("executable").asBoolean(false)));
        }
        return files;
    }

    private static long jsonBytes(JsonNode node) {
        if (node.isEmpty()) {
            return 0; // no inputs (or {}): nothing to count
        }
        try {
            return MAPPER.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    private static JobLimits limits(JsonNode node) {
        if (node == null) {
            return JobLimits.DEFAULTS;
        }
        return new JobLimits(
                longOrNull(node, "wall_time_ms"),
                longOrNull(node, "cpu_time_ms"),
                longOrNull(node, "memory_mb"),
                longOrNull(node, "max_output_bytes"),
                longOrNull(node, "max_processes"),
                longOrNull(node, "max_file_bytes"));
    }

    private static Long longOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null ? null : v.asLong();
    }

    private static Instant deadline(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        return OffsetDateTime.parse(node.asText()).toInstant();
    }

    static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
        return chars.toString();
    }

    private static String describe(JsonNodeType type) {
        return switch (type) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    private static JobParseOutcome invalid(String reason, String id) {
        return new JobParseOutcome.Invalid(reason, id);
    }
}
