package dev.sandq.executor.internal.assets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The x86-64 entries of the loader's cache (/etc/ld.so.cache, glibc's "glibc-ld.so.cache1.1"
 * format written by ldconfig): library name -> the paths the loader tries, in the cache's order.
 */
final class LdCache {
    static final Path DEFAULT = Path.of("/etc/ld.so.cache");
    private static final String MAGIC = "glibc-ld.so.cache1.1";
    private static final int HEADER_BYTES = 48;
    private static final int ENTRY_BYTES = 24;
    /** FLAG_ELF_LIBC6 | FLAG_X8664_LIB64: the only entries an x86-64 process may load. */
    private static final int X86_64_LIBC6 = 0x0303;

    private final Path file;
    private final Map<String, List<String>> entries;

    private LdCache(Path file, Map<String, List<String>> entries) {
        this.file = file;
        this.entries = entries;
    }

    /**
     * Reads the cache, or empty when there is none or it has a format this class does not know
     * (then the sandbox must not get it either: the loader would find what we did not model).
     */
    static Optional<LdCache> load(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (bytes.length < HEADER_BYTES
                || !new String(bytes, 0, MAGIC.length(), StandardCharsets.US_ASCII).equals(MAGIC)) {
            return Optional.empty();
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int count = buf.getInt(MAGIC.length());
        if (count < 0 || HEADER_BYTES + (long) count * ENTRY_BYTES > bytes.length) {
            throw new IOException(file + ": " + count + " entries do not fit in " + bytes.length + " bytes");
        }
        Map<String, List<String>> entries = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int at = HEADER_BYTES + i * ENTRY_BYTES;
            if (buf.getInt(at) != X86_64_LIBC6) {
                continue;
            }
            String key = string(bytes, buf.getInt(at + 4), file);
            String value = string(bytes, buf.getInt(at + 8), file);
            entries.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return Optional.of(new LdCache(file, Map.copyOf(entries)));
    }

    Path file() {
        return file;
    }

    /** The cached paths for a DT_NEEDED name, empty when the cache does not know it. */
    List<String> lookup(String name) {
        return entries.getOrDefault(name, List.of());
    }

    int size() {
        return entries.size();
    }

    private static String string(byte[] bytes, int offset, Path file) throws IOException {
        if (offset < 0 || offset >= bytes.length) {
            throw new IOException(file + ": string offset " + offset + " outside the file");
        }
        int end = offset;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }
}
