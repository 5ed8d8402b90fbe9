package dev.sandq.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.executor.OutputFile;
import dev.sandq.executor.OutputFiles;
import dev.sandq.executor.Status;
import dev.sandq.executor.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Writes and reads result documents (snake_case, schemas/result.schema.json). Thread-safe. */
public final class JobReplyCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JobReplyCodec() {
    }

    public static ObjectNode toTree(JobReply r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", r.id());
        n.put("correlation_id", r.correlationId());
        n.put("status", r.status().wireName());
        n.put("exit_code", r.exitCode());
        n.put("signal", r.signal());
        n.put("stdout", r.stdout());
        n.put("stderr", r.stderr());
        n.put("stdout_truncated", r.stdoutTruncated());
        n.put("stderr_truncated", r.stderrTruncated());
        n.set("result", r.result() == null ? n.nullNode() : r.result());
        n.put("error", r.error());
        ObjectNode usage = n.putObject("usage");
        usage.put("wall_time_ms", r.usage().wallTimeMs());
        usage.put("cpu_time_ms", r.usage().cpuTimeMs());
        usage.put("max_rss_kb", r.usage().maxRssKb());
        ArrayNode files = n.putArray("files");
        for (OutputFile file : r.files().files()) {
            ObjectNode f = files.addObject();
            f.put("path", file.path());
            f.put("size", file.size());
            f.put("media_type", file.mediaType());
            f.put("encoding", "base64");
            f.put("content", Base64.getEncoder().encodeToString(file.content()));
        }
        n.put("files_truncated", r.files().truncated());
        n.put("worker", r.worker());
        n.put("attempt", r.attempt());
        n.put("started_at", r.startedAt().truncatedTo(ChronoUnit.MILLIS).toString());
        n.put("finished_at", r.finishedAt().truncatedTo(ChronoUnit.MILLIS).toString());
        return n;
    }

    public static byte[] toJson(JobReply r) {
        try {
            return MAPPER.writeValueAsBytes(toTree(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a reply tree always serialises", e);
        }
    }

    /** Reads a result document; throws IllegalArgumentException naming the problem when it is not one. */
    public static JobReply fromJson(byte[] json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not a result document: " + e.getMessage(), e);
        }
        var problems = WireSchemas.get().validateResult(n);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("not a result document: " + problems);
        }
        Status status = Arrays.stream(Status.values())
                .filter(s -> s.wireName().equals(n.get("status").asText())).findFirst().orElseThrow();
        JsonNode u = n.get("usage");
        return new JobReply(
                text(n, "id"), text(n, "correlation_id"), status,
                n.get("exit_code").isNull() ? null : n.get("exit_code").asInt(),
                n.get("signal").isNull() ? null : n.get("signal").asInt(),
                n.get("stdout").asText(), n.get("stderr").asText(),
                n.get("stdout_truncated").asBoolean(), n.get("stderr_truncated").asBoolean(),
                n.get("result").isNull() ? null : n.get("result"),
                text(n, "error"),
                new Usage(u.get("wall_time_ms").asLong(), u.get("cpu_time_ms").asLong(), u.get("max_rss_kb").asLong()),
                n.get("worker").asText(), n.get("attempt").asInt(),
                Instant.parse(n.get("started_at").asText()), Instant.parse(n.get("finished_at").asText()),
                files(n));
    }

    private static OutputFiles files(JsonNode n) {
        List<OutputFile> files = new ArrayList<>();
        for (JsonNode f : n.path("files")) {
            files.add(new OutputFile(f.get("path").asText(), Base64.getDecoder().decode(f.get("content").asText()),
                    f.get("media_type").asText()));
        }
        return new OutputFiles(files, n.path("files_truncated").asBoolean(false));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
