package dev.sandq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.executor.InputFile;
import dev.sandq.executor.OutputFile;
import dev.sandq.executor.OutputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --file PATH[=NAME]} and {@code --out DIR}, shared by {@code sandq exec} and {@code sandq submit}:
 * files sent with the job, and the directory the returned files are written to.
 */
public final class FileOptions {

    @Option(names = "--file", paramLabel = "PATH[=NAME]",
            description = "Sends the file PATH with the job, written as NAME (default: PATH's file name) in its working "
                    + "directory before it starts; executable when PATH is. Repeatable.")
    List<String> files = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Writes the files the job left in SANDQ_OUTPUT_DIR into DIR (created if missing), beside "
                    + "printing the result.")
    Path out;

    /** The files given with --file, read. */
    List<InputFile> inputFiles() {
        List<InputFile> read = new ArrayList<>();
        for (String spec : files) {
            int eq = spec.lastIndexOf('=');
            String host = eq > 0 ? spec.substring(0, eq) : spec;
            Path path = Path.of(host);
            String name = eq > 0 ? spec.substring(eq + 1) : String.valueOf(path.getFileName());
            try {
                read.add(new InputFile(name, Files.readAllBytes(path), Files.isExecutable(path)));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --file " + host + ": " + e.getMessage());
            }
        }
        return read;
    }

    /** The files as the job document's {@code files} (base64, so that any bytes travel). */
    static ArrayNode toJson(List<InputFile> files) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (InputFile file : files) {
            ObjectNode f = array.addObject();
            f.put("path", file.path());
            f.put("content", Base64.getEncoder().encodeToString(file.content()));
            f.put("encoding", "base64");
            if (file.executable()) {
                f.put("executable", true);
            }
        }
        return array;
    }

    /**
     * Writes {@code returned} under --out, when given. A name that would leave the directory, or
     * lead through a link, is refused (the reply came from the network: it is not trusted).
     *
     * @return the paths written
     */
    List<Path> writeOutputs(OutputFiles returned) throws IOException {
        List<Path> written = new ArrayList<>();
        if (out == null) {
            return written;
        }
        Path dir = out.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        for (OutputFile file : returned.files()) {
            Path target = dir.resolve(file.path()).normalize();
            if (!target.startsWith(dir) || target.equals(dir) || Path.of(file.path()).isAbsolute()) {
                throw new IOException("refusing to write the returned file '" + file.path() + "' outside " + dir);
            }
            for (Path p = target.getParent(); !p.equals(dir); p = p.getParent()) {
                if (Files.isSymbolicLink(p)) {
                    throw new IOException("refusing to write the returned file '" + file.path() + "' through the link " + p);
                }
            }
            Files.createDirectories(target.getParent());
            if (Files.isSymbolicLink(target) || Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("refusing to replace " + target + ", which is not a regular file");
            }
            Files.write(target, file.content(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            written.add(target);
        }
        return written;
    }
}
