package dev.sandq.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A batch's jobs, read lazily so that memory does not grow with their number. */
public interface BatchInput {
    /** How many entries {@link #items()} will give (a quick first pass over the input); -1 when it cannot tell. */
    long count() throws IOException;

    /** The entries, in input order, read as the stream is consumed; close it when done. */
    Stream<BatchItem> items() throws IOException;

    /** A directory of programs, else a JSONL file of job documents. */
    static BatchInput of(Path input) {
        return of(input, LimitDefaults.NONE);
    }

    /** {@link #of(Path)}, each job given the {@code defaults} it does not set itself. */
    static BatchInput of(Path input, LimitDefaults defaults) {
        return Files.isDirectory(input) ? new DirectoryInput(input, defaults) : JsonlInput.file(input, defaults);
    }
}
