package dev.sandq.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.wire.WireSchemas;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A JSONL file: one job document per line, each checked against the job schema. A line without
 * {@code id} gets its line number as id; blank lines are skipped. A line that is not a valid job
 * is an {@link BatchItem.Invalid} naming its line number and the schema's complaint.
 */
public final class JsonlInput implements BatchInput {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path file;
    private final InputStream stream;
    private final LimitDefaults defaults;

    private JsonlInput(Path file, InputStream stream, LimitDefaults defaults) {
        this.file = file;
        this.stream = stream;
        this.defaults = defaults;
    }

    public static JsonlInput file(Path file) {
        return file(file, LimitDefaults.NONE);
    }

    public static JsonlInput file(Path file, LimitDefaults defaults) {
        return new JsonlInput(file, null, defaults);
    }

    /** Lines from a stream (standard input), read once: their number is not known before. */
    public static JsonlInput stream(InputStream in, LimitDefaults defaults) {
        return new JsonlInput(null, in, defaults);
    }

    @Override
    public long count() throws IOException {
        if (file == null) {
            return -1;
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isBlank()).count();
        }
    }

    @Override
    public Stream<BatchItem> items() throws IOException {
        BufferedReader reader = file != null ? Files.newBufferedReader(file, StandardCharsets.UTF_8)
                : new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        String name = file != null ? file.toString() : "standard input";
        Spliterator<BatchItem> lines = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
            private long number;

            @Override
            public boolean tryAdvance(Consumer<? super BatchItem> action) {
                try {
                    String line;
                    do {
                        line = reader.readLine();
                        number++;
                        if (line == null) {
                            return false;
                        }
                    } while (line.isBlank());
                    action.accept(parse(number, line, defaults));
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException("reading " + name + " at line " + number, e);
                }
            }
        };
        return StreamSupport.stream(lines, false).onClose(() -> {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** One non-blank line, number {@code number} (from 1). */
    static BatchItem parse(long number, String line, LimitDefaults defaults) {
        String where = "line " + number;
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return new BatchItem.Invalid(where, "not JSON: " + e.getOriginalMessage());
        }
        List<String> problems = WireSchemas.get().validateJob(node);
        if (!problems.isEmpty()) {
            return new BatchItem.Invalid(where, "not a valid job: " + String.join("; ", problems));
        }
        ObjectNode job = (ObjectNode) node;
        defaults.applyTo(job);
        if (!job.hasNonNull("id")) {
            job.put("id", String.valueOf(number));
        }
        try {
            return new BatchItem.JobItem(job.get("id").asText(), where, MAPPER.writeValueAsBytes(job));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write back the job of " + where, e);
        }
    }
}
