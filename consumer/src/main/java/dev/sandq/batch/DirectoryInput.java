package dev.sandq.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.client.Language;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A directory of programs, walked recursively in name order: each .py (python3), .js or .mjs
 * (nodejs) file is one job in script mode whose id is the file's path relative to the directory
 * ('/'-separated). Other files are ignored; a program that is not UTF-8 or whose path is longer
 * than an id may be is {@link BatchItem.Invalid}.
 */
public final class DirectoryInput implements BatchInput {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ID_LENGTH = 256;
    private final Path dir;
    private final LimitDefaults defaults;

    public DirectoryInput(Path dir, LimitDefaults defaults) {
        this.dir = dir;
        this.defaults = defaults;
    }

    @Override
    public long count() throws IOException {
        try (Stream<Path> programs = programs()) {
            return programs.count();
        }
    }

    @Override
    public Stream<BatchItem> items() throws IOException {
        return programs().map(this::item);
    }

    private Stream<Path> programs() throws IOException {
        return Files.walk(dir).filter(Files::isRegularFile).filter(p -> language(p) != null).sorted();
    }

    private static Language language(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".py") ? Language.PYTHON3
                : name.endsWith(".js") || name.endsWith(".mjs") ? Language.NODEJS : null;
    }

    private BatchItem item(Path program) {
        String id = dir.relativize(program).toString().replace(program.getFileSystem().getSeparator(), "/");
        if (id.length() > MAX_ID_LENGTH) {
            return new BatchItem.Invalid(id, "its path, the job's id, is longer than " + MAX_ID_LENGTH + " characters");
        }
        String code;
        try {
            code = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(program))).toString();
        } catch (CharacterCodingException e) {
            return new BatchItem.Invalid(id, "not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + program, e);
        }
        ObjectNode job = MAPPER.createObjectNode();
        job.put("id", id);
        job.put("language", language(program).wireName());
        job.put("code", code);
        defaults.applyTo(job);
        try {
            return new BatchItem.JobItem(id, id, MAPPER.writeValueAsBytes(job));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
