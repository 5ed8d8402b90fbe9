package dev.sandq.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The batch's output, one result per line, appended and flushed as each arrives, so that after a
 * crash every line but perhaps the last, half-written one is whole. {@link #answeredIds} reads it
 * back for {@code --resume}, and cuts such a last line off.
 */
public final class ResultsFile implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final OutputStream out;
    private boolean closed;

    private ResultsFile(OutputStream out) {
        this.out = out;
    }

    /** Opens {@code file} to append to it ({@code append}), else empties or creates it. */
    public static ResultsFile open(Path file, boolean append) throws IOException {
        return new ResultsFile(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING));
    }

    /** The ids answered in {@code file}, and how many of its lines were unreadable. */
    public record Answered(Set<String> ids, int unreadableLines, boolean cutPartialLine) {
    }

    /**
     * The {@code id} of every result line of {@code file} (none when it does not exist). A last line
     * without its newline (a write cut by a crash) is removed from the file.
     */
    public static Answered answeredIds(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new Answered(Set.of(), 0, false);
        }
        boolean cut = cutPartialLastLine(file);
        Set<String> ids = new HashSet<>();
        int unreadable = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode id = MAPPER.readTree(line).get("id");
                    if (id != null && id.isTextual()) {
                        ids.add(id.asText());
                    } else {
                        unreadable++;
                    }
                } catch (IOException e) {
                    unreadable++;
                }
            }
        }
        return new Answered(ids, unreadable, cut);
    }

    private static boolean cutPartialLastLine(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long end = f.length();
            long keep = end;
            while (keep > 0) {
                f.seek(keep - 1);
                if (f.read() == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < end) {
                f.setLength(keep);
                return true;
            }
            return false;
        }
    }

    /** Appends one result (a JSON document without newlines) and its newline, and flushes. */
    public synchronized void write(byte[] result) throws IOException {
        if (closed) {
            throw new IOException("the results file is closed");
        }
        byte[] line = new byte[result.length + 1];
        System.arraycopy(result, 0, line, 0, result.length);
        line[result.length] = '\n';
        out.write(line); // one write per line: a crash leaves at most the last one partial
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }
}
