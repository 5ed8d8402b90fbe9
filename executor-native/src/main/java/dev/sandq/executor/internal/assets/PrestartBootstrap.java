package dev.sandq.executor.internal.assets;

import dev.sandq.executor.InputFile;
import dev.sandq.executor.Language;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The program a prestarted sandbox runs before its job is known (see
 * {@code src/main/resources/dev/sandq/executor/prestart/}): it waits on stdin for the job's
 * code, framed by {@link #frame}, writes a byte on fd 3 to start the launcher's clocks, and has
 * the code run as the interpreter would run the code file. Python's is given with {@code -c};
 * Node's is preloaded with {@code -r} from {@link #DIR_INSIDE} and returns to let node run the
 * code file itself.
 */
public final class PrestartBootstrap {
    /** The code's length in front of it: this many ASCII digits. */
    static final int LENGTH_DIGITS = 12;
    /** Where the bootstrap files are bound, read-only, in a prestarted sandbox. */
    public static final String DIR_INSIDE = "/usr/lib/sandq/prestart";
    /** Read from the jar once: Python's is on the command line of every prestarted sandbox. */
    private static final Map<Language, String> SOURCES = loadSources();

    private PrestartBootstrap() {
    }

    /** The bootstrap's file name for {@code language}. */
    static String fileName(Language language) {
        return switch (language) {
            case PYTHON3 -> "python3.py";
            case NODEJS -> "nodejs.js";
        };
    }

    /** The bootstrap's source for {@code language}. */
    public static String source(Language language) {
        return SOURCES.get(language);
    }

    private static Map<Language, String> loadSources() {
        Map<Language, String> sources = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            sources.put(language, resource(fileName(language)));
        }
        return sources;
    }

    /** Writes every language's bootstrap into {@code dir}, which prestarted sandboxes bind at {@link #DIR_INSIDE}. */
    static void writeFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Language language : Language.values()) {
            Files.writeString(dir.resolve(fileName(language)), source(language), StandardCharsets.UTF_8);
        }
    }

    /** What goes on a prestarted job's stdin, for a job without input files. */
    public static byte[] frame(String code, byte[] stdin) {
        return frame(code, List.of(), stdin);
    }

    /**
     * What goes on a prestarted job's stdin: the code's length and the code; the input files'
     * manifest's length and the manifest, one line per file ({@code SIZE EXECUTABLE(0|1) PATH\n},
     * validated by {@link dev.sandq.executor.InputFiles}: no newline in a path), and their contents
     * one after the other; then the job's own stdin. The bootstrap writes the files into the
     * working directory as the job's uid, inside the sandbox, before it runs the code.
     */
    public static byte[] frame(String code, List<InputFile> files, byte[] stdin) {
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        writeLengthAndBytes(framed, code.getBytes(StandardCharsets.UTF_8));
        StringBuilder manifest = new StringBuilder();
        for (InputFile file : files) {
            manifest.append(file.size()).append(' ').append(file.executable() ? 1 : 0).append(' ')
                    .append(file.path()).append('\n');
        }
        writeLengthAndBytes(framed, manifest.toString().getBytes(StandardCharsets.UTF_8));
        for (InputFile file : files) {
            framed.writeBytes(file.content());
        }
        framed.writeBytes(stdin);
        return framed.toByteArray();
    }

    private static void writeLengthAndBytes(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(lengthDigits(bytes.length));
        out.writeBytes(bytes);
    }

    /**
     * {@code length} as {@link #LENGTH_DIGITS} ASCII digits, zero-padded. Not String.format: a
     * Formatter per job was a tenth of the slot thread's CPU in a profile of trivial jobs.
     */
    static byte[] lengthDigits(int length) {
        byte[] digits = new byte[LENGTH_DIGITS];
        int rest = length;
        for (int i = LENGTH_DIGITS - 1; i >= 0; i--) {
            digits[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return digits;
    }

    private static String resource(String name) {
        try (InputStream in = PrestartBootstrap.class.getResourceAsStream("/dev/sandq/executor/prestart/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the prestart bootstrap " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the prestart bootstrap " + name, e);
        }
    }
}
