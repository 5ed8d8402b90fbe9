package dev.sandq.executor;

import java.util.List;

/**
 * The files a job left in its output directory.
 *
 * @param files     those returned, in path order
 * @param truncated something was left out: over the count or byte limit, or not a regular file
 *                  (a symlink, FIFO, socket or device node), or unreadable
 */
public record OutputFiles(List<OutputFile> files, boolean truncated) {
    public static final OutputFiles NONE = new OutputFiles(List.of(), false);

    public OutputFiles {
        files = List.copyOf(files);
    }

    /** The bytes of every file together. */
    public long totalBytes() {
        return files.stream().mapToLong(OutputFile::size).sum();
    }
}
