package dev.sandq.executor.internal.launch;

import dev.sandq.executor.MediaTypes;
import dev.sandq.executor.OutputFile;
import dev.sandq.executor.OutputFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the launcher's files-out file (outputs.c): {@code F <size> <path length>\n<path><content>}
 * per file, then {@code E <0|1>\n} (1: something was left out), or {@code X <length>\n<message>}
 * when the collector failed. An empty file: nothing was collected (the job never ran).
 */
final class OutputArchive {

    /** The collector failed: the files the job left cannot be told. */
    static final class CollectionFailed extends IOException {
        CollectionFailed(String message) {
            super(message);
        }
    }

    private final byte[] bytes;
    private int at;

    private OutputArchive(byte[] bytes) {
        this.bytes = bytes;
    }

    static OutputFiles read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return OutputFiles.NONE;
        }
        return parse(Files.readAllBytes(file));
    }

    static OutputFiles parse(byte[] bytes) throws CollectionFailed {
        return new OutputArchive(bytes).files();
    }

    private OutputFiles files() throws CollectionFailed {
        if (bytes.length == 0) {
            return OutputFiles.NONE;
        }
        List<OutputFile> files = new ArrayList<>();
        boolean truncated = false;
        while (true) {
            if (at >= bytes.length) {
                throw new CollectionFailed("the output collector ended without its end record");
            }
            String[] header = headerLine().split(" ");
            switch (header[0]) {
                case "F" -> {
                    int size = number(header, 1);
                    int pathLength = number(header, 2);
                    byte[] path = take(pathLength);
                    byte[] content = take(size);
                    String name = utf8(path);
                    if (name == null) {
                        truncated = true; // a name that no JSON document can carry
                    } else {
                        files.add(new OutputFile(name, content, MediaTypes.of(name, content)));
                    }
                }
                case "E" -> {
                    truncated |= number(header, 1) != 0;
                    if (at != bytes.length) {
                        throw new CollectionFailed("the files-out file goes on after its end record");
                    }
                    return new OutputFiles(files, truncated);
                }
                case "X" -> throw new CollectionFailed(
                        new String(take(number(header, 1)), StandardCharsets.UTF_8).strip());
                default -> throw new CollectionFailed("the files-out file has an unknown record '" + header[0] + "'");
            }
        }
    }

    private String headerLine() throws CollectionFailed {
        int end = at;
        while (end < bytes.length && bytes[end] != '\n' && end - at < 64) {
            end++;
        }
        if (end >= bytes.length || bytes[end] != '\n') {
            throw new CollectionFailed("the files-out file has a broken record header at byte " + at);
        }
        String line = new String(bytes, at, end - at, StandardCharsets.US_ASCII);
        at = end + 1;
        return line;
    }

    private static int number(String[] header, int index) throws CollectionFailed {
        try {
            return Integer.parseInt(header[index]);
        } catch (RuntimeException e) {
            throw new CollectionFailed("the files-out file has a bad record header " + Arrays.toString(header));
        }
    }

    private byte[] take(int n) throws CollectionFailed {
        if (n < 0 || n > bytes.length - at) {
            throw new CollectionFailed("the files-out file ends inside a record");
        }
        byte[] part = Arrays.copyOfRange(bytes, at, at + n);
        at += n;
        return part;
    }

    private static String utf8(byte[] name) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(name)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
