package dev.sandq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.executor.Result;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** A {@link Result} as one line of JSON with DESIGN.md's result field names. */
final class ResultJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private ResultJson() {
    }

    static ObjectNode toNode(Result result, Instant startedAt, Instant finishedAt) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("status", result.status().wireName());
        node.put("exit_code", result.exitCode());
        node.put("signal", result.signal());
        node.put("stdout", wellFormed(result.stdout()));
        node.put("stderr", wellFormed(result.stderr()));
        node.put("stdout_truncated", result.stdoutTruncated());
        node.put("stderr_truncated", result.stderrTruncated());
        node.put("error", result.error() == null ? null : wellFormed(result.error()));
        ObjectNode usage = node.putObject("usage");
        usage.put("wall_time_ms", result.usage().wallTimeMs());
        usage.put("cpu_time_ms", result.usage().cpuTimeMs());
        usage.put("max_rss_kb", result.usage().maxRssKb());
        node.put("started_at", DateTimeFormatter.ISO_INSTANT.format(startedAt));
        node.put("finished_at", DateTimeFormatter.ISO_INSTANT.format(finishedAt));
        return node;
    }

    /** One line, no trailing newline. */
    static String toLine(Result result, Instant startedAt, Instant finishedAt) {
        try {
            return MAPPER.writeValueAsString(toNode(result, startedAt, finishedAt));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces unpaired surrogates with U+FFFD. A Result already holds decoded text; this keeps
     * the line valid UTF-8 even if a string was cut in the middle of a surrogate pair.
     */
    static String wellFormed(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
