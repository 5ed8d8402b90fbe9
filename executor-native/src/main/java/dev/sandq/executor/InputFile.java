package dev.sandq.executor;

import java.util.Objects;

/**
 * A file a job brings: written into its working directory (the sandbox's {@code /tmp}) before its
 * program starts, owned by the job's uid. {@link InputFiles#validate} says whether a list of them
 * may run at all.
 *
 * @param path       relative, '/'-separated, no {@code .} or {@code ..} component
 * @param content    the bytes, as they are written
 * @param executable mode 0755 instead of 0644 (the directory is noexec: only for programs that check the bit)
 */
public record InputFile(String path, byte[] content, boolean executable) {

    public InputFile {
        Objects.requireNonNull(path, "path");
        content = content == null ? new byte[0] : content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The number of bytes, without copying them. */
    public int size() {
        return content.length;
    }
}
