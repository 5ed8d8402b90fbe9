package dev.sandq.executor;

import java.util.Objects;

/**
 * A regular file a job left under its output directory ({@code SANDQ_OUTPUT_DIR}).
 *
 * @param path      relative to the output directory, '/'-separated
 * @param content   its bytes
 * @param mediaType recognised from the content ({@link MediaTypes})
 */
public record OutputFile(String path, byte[] content, String mediaType) {

    public OutputFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mediaType, "mediaType");
        content = content == null ? new byte[0] : content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    public int size() {
        return content.length;
    }
}
