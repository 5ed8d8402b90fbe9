package dev.sandq.executor;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a job's input files may be written at all: each a plain relative path (no absolute
 * path, no {@code .} or {@code ..}, no empty component, no control character), none twice, none
 * both a file and the directory of another, none in the output directory, within the count and
 * the bytes. The sandbox writes them without following a link (PrestartBootstrap), but a job that
 * fails here never starts: its result is {@code rejected}, and the sentence names the path.
 */
public final class InputFiles {
    /** The output directory's name in the working directory: {@code SANDQ_OUTPUT_DIR}. */
    public static final String OUTPUT_DIR_NAME = "output";
    static final int MAX_PATH_BYTES = 1024;
    static final int MAX_COMPONENT_BYTES = 255;

    private InputFiles() {
    }

    /** Why {@code files} cannot be written, naming the offending path; empty when they can. */
    public static Optional<String> problem(List<InputFile> files, FileLimits limits) {
        if (files.size() > limits.maxInputFiles()) {
            return Optional.of("The job has " + files.size() + " input files, over the limit of "
                    + limits.maxInputFiles() + ".");
        }
        long total = 0;
        Set<String> files0 = new HashSet<>();
        Set<String> dirs = new HashSet<>();
        for (InputFile file : files) {
            String path = file.path();
            Optional<String> bad = pathProblem(path);
            if (bad.isPresent()) {
                return Optional.of("The input file path '" + printable(path) + "' " + bad.get() + ".");
            }
            if (!files0.add(path)) {
                return Optional.of("The input file path '" + path + "' is given twice.");
            }
            String[] parts = path.split("/");
            StringBuilder dir = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                dir.append(i == 0 ? "" : "/").append(parts[i]);
                dirs.add(dir.toString());
            }
            total += file.size();
            if (total > limits.maxInputBytes()) {
                return Optional.of("The input files are over the limit of " + limits.maxInputBytes()
                        + " bytes together (at '" + path + "', " + total + " bytes).");
            }
        }
        for (String path : files0) {
            if (dirs.contains(path)) {
                return Optional.of("The input file path '" + path + "' is also the directory of another input file.");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> pathProblem(String path) {
        if (path.isEmpty()) {
            return Optional.of("is empty");
        }
        if (path.startsWith("/")) {
            return Optional.of("is absolute; input paths are relative to the working directory");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            return Optional.of("is longer than " + MAX_PATH_BYTES + " bytes");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogateAt(path, i)) {
                return Optional.of("has a control character or is not valid Unicode");
            }
        }
        String[] parts = path.split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                return Optional.of("has an empty component");
            }
            if (part.equals(".") || part.equals("..")) {
                return Optional.of("has a '" + part + "' component");
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
                return Optional.of("has a component longer than " + MAX_COMPONENT_BYTES + " bytes");
            }
        }
        if (parts[0].equals(OUTPUT_DIR_NAME)) {
            return Optional.of("is in the output directory '" + OUTPUT_DIR_NAME + "', which the job's outputs go to");
        }
        return Optional.empty();
    }

    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** The path as it can be shown in one sentence: control characters escaped. */
    private static String printable(String path) {
        StringBuilder b = new StringBuilder();
        for (char c : path.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.length() > 200 ? b.substring(0, 200) + "..." : b.toString();
    }
}
