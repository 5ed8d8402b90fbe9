package dev.sandq.executor.corpus;

import dev.sandq.executor.InputFile;
import dev.sandq.executor.Job;
import dev.sandq.executor.JobLimits;
import dev.sandq.executor.Language;
import dev.sandq.executor.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One program of the corpus and what the sandbox must make of it, read from the comment block
 * at the top of the file ({@code #} for Python, {@code //} for Node.js), one {@code key: value}
 * per line:
 *
 * <pre>
 * expect: STATUS                      required; the wire name (ok, error, timeout, syscall_denied, ...)
 * unprivileged-expect: STATUS         what privilege mode userns must give instead, where it differs
 *                                     by design (no cgroup there: memory is bounded per process);
 *                                     the header's prose must say why
 * expect-without-ia32: STATUS SIG...  what a kernel without IA32 emulation must give instead (it
 *                                     refuses the 32-bit ABI before seccomp sees the call), and the
 *                                     signals the job may be killed by (SIGSEGV, SIGSYS, ...);
 *                                     {@link Ia32Emulation} asks the host which applies
 * limits: wall_time_ms=1000 ...       JobLimits fields in snake_case: wall_time_ms, cpu_time_ms,
 *                                     memory_mb, max_output_bytes, max_processes, max_file_bytes
 * stdout: TEXT                        the exact stdout, one header line per output line (repeatable)
 * stdout-length: N                    stdout is exactly N bytes (UTF-8)
 * stdout-sha256: HEX                  SHA-256 of stdout's bytes
 * stdout-contains: TEXT               (repeatable)
 * stdout-not-contains: TEXT           (repeatable)
 * stderr-contains: TEXT               (repeatable)
 * stdin: TEXT                         a line of the job's stdin (repeatable; each ends with \n)
 * max-wall-ms: N                      the job's reported wall time is at most N
 * run-beside: RESOURCE                a companion program (under corpus/) run at the same time,
 *                                     in the other slot; this case starts once the companion is up
 * network: true                      the job asks for the network (enable_network), as every job of Dify's
 *                                     does; the corpus's sandbox allows it, as `sandq up` does, so the
 *                                     job goes out only through the egress proxy and its standard policy
 * input-file: PATH=TEXT               an input file of the job (repeatable); \n in TEXT is a newline
 * input-file-zeros: PATH=N            an input file of N zero bytes (repeatable)
 * input-file-zip-zeros: PATH=N        an input file that is a zip archive of one entry, zeros.bin,
 *                                     of N zero bytes (a zip bomb: small, it unpacks to N)
 * error-contains: TEXT                the result's error sentence contains TEXT (repeatable)
 * files: PATH...                      exactly these output files come back, in this order ("none": no file)
 * files-include: PATH...              these output files are among those returned
 * files-count: N                      exactly N output files come back
 * files-truncated: true|false         whether the result says something was left out
 * files-not-contains: TEXT            no returned file's content contains TEXT (repeatable)
 * known-gap: TEXT                     the sandbox does not meet this expectation yet, for the reason
 *                                     given: the case is reported as skipped with what happened, and
 *                                     fails as soon as the sandbox meets it (then drop the line)
 * </pre>
 *
 * <p>The expectation is what a careful sandbox should give, never what the current one happens to
 * give: a gap is written down with known-gap, not hidden by a weaker expectation.
 *
 * Lines of the block that are not {@code key: value} are free text: say why the expectation is
 * what it is.
 */
record CorpusCase(
        String name,
        Language language,
        String code,
        Status expect,
        JobLimits limits,
        Optional<String> stdout,
        OptionalLong stdoutLength,
        Optional<String> stdoutSha256,
        List<String> stdoutContains,
        List<String> stdoutNotContains,
        List<String> stderrContains,
        byte[] stdin,
        OptionalLong maxWallMs,
        Optional<String> runBeside,
        Optional<String> knownGap,
        Optional<Status> unprivilegedExpect,
        Optional<Outcome> withoutIa32,
        boolean network,
        FileExpectations files) {

    /**
     * A case's files: those it brings, and what it must get back.
     *
     * @param inputs      the job's input files
     * @param errorContains what the error sentence must contain
     * @param outputs     the exact paths returned, in order, when the header says
     * @param include     paths that must be among those returned
     * @param count       how many are returned, when the header says
     * @param truncated   whether some were left out, when the header says
     * @param notContains what no returned file may contain
     */
    record FileExpectations(List<InputFile> inputs, List<String> errorContains, Optional<List<String>> outputs,
                            List<String> include, OptionalLong count, Optional<Boolean> truncated,
                            List<String> notContains) {
    }

    /** A status, and when it is {@code killed}, the signals that may have killed the job (empty: any). */
    record Outcome(Status status, Set<Integer> signals) {
        Outcome {
            signals = Set.copyOf(signals);
        }

        static Outcome of(Status status) {
            return new Outcome(status, Set.of());
        }

        boolean allowsSignal(Integer signal) {
            return signals.isEmpty() || signals.contains(signal);
        }

        @Override
        public String toString() {
            return status.wireName() + (signals.isEmpty() ? "" : " by signal " + signals);
        }
    }

    /** The signals a header may name. */
    private static final Map<String, Integer> SIGNALS = Map.of(
            "SIGILL", 4, "SIGABRT", 6, "SIGBUS", 7, "SIGKILL", 9, "SIGSEGV", 11, "SIGSYS", 31);

    static final String ROOT = "corpus";

    /** Every program under corpus/everyday and corpus/hostile, in name order. */
    static Stream<CorpusCase> all() {
        Path root = rootDirectory();
        try (Stream<Path> files = Files.walk(root)) {
            List<CorpusCase> cases = files
                    .filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".py") || p.toString().endsWith(".js"))
                    .map(p -> root.relativize(p).toString())
                    .filter(n -> n.startsWith("everyday/") || n.startsWith("hostile/"))
                    .sorted()
                    .map(CorpusCase::load)
                    .toList();
            if (cases.isEmpty()) {
                throw new IllegalStateException("no corpus programs under " + root);
            }
            return cases.stream();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + root, e);
        }
    }

    static Path rootDirectory() {
        URL url = CorpusCase.class.getClassLoader().getResource(ROOT);
        if (url == null) {
            throw new IllegalStateException("test resource directory '" + ROOT + "' is not on the class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad resource URL " + url, e);
        }
    }

    /** Reads and parses corpus/NAME; any malformed header fails loudly, naming file and line. */
    static CorpusCase load(String name) {
        Path file = rootDirectory().resolve(name);
        String code;
        try {
            code = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading corpus program " + name, e);
        }
        Language language;
        String comment;
        if (name.endsWith(".py")) {
            language = Language.PYTHON3;
            comment = "#";
        } else if (name.endsWith(".js")) {
            language = Language.NODEJS;
            comment = "//";
        } else {
            throw new IllegalArgumentException("corpus program " + name + " is neither .py nor .js");
        }

        Status expect = null;
        JobLimits limits = JobLimits.DEFAULTS;
        List<String> stdoutLines = new ArrayList<>();
        Long stdoutLength = null;
        String stdoutSha256 = null;
        List<String> contains = new ArrayList<>();
        List<String> notContains = new ArrayList<>();
        List<String> stderrContains = new ArrayList<>();
        StringBuilder stdin = new StringBuilder();
        Long maxWallMs = null;
        String runBeside = null;
        String knownGap = null;
        Status unprivilegedExpect = null;
        Outcome withoutIa32 = null;
        boolean network = false;
        List<InputFile> inputs = new ArrayList<>();
        List<String> errorContains = new ArrayList<>();
        List<String> outputs = null;
        List<String> include = new ArrayList<>();
        Long outputCount = null;
        Boolean truncated = null;
        List<String> filesNotContains = new ArrayList<>();

        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length && lines[i].startsWith(comment); i++) {
            String body = lines[i].substring(comment.length());
            body = body.startsWith(" ") ? body.substring(1) : body;
            int colon = body.indexOf(": ");
            if (colon < 0) {
                continue; // prose
            }
            String key = body.substring(0, colon);
            String value = body.substring(colon + 2);
            String where = name + ":" + (i + 1);
            switch (key) {
                case "expect" -> expect = status(value.strip(), where);
                case "limits" -> limits = limits(value.strip(), where);
                case "stdout" -> stdoutLines.add(value);
                case "stdout-length" -> stdoutLength = number(value, where);
                case "stdout-sha256" -> stdoutSha256 = value.strip().toLowerCase(Locale.ROOT);
                case "stdout-contains" -> contains.add(value);
                case "stdout-not-contains" -> notContains.add(value);
                case "stderr-contains" -> stderrContains.add(value);
                case "stdin" -> stdin.append(value).append('\n');
                case "max-wall-ms" -> maxWallMs = number(value, where);
                case "run-beside" -> runBeside = value.strip();
                case "known-gap" -> knownGap = value.strip();
                case "unprivileged-expect" -> unprivilegedExpect = status(value.strip(), where);
                case "expect-without-ia32" -> withoutIa32 = outcome(value.strip(), where);
                case "input-file" -> {
                    String[] pv = pathAndValue(value, where);
                    inputs.add(new InputFile(pv[0], pv[1].replace("\\n", "\n").getBytes(StandardCharsets.UTF_8), false));
                }
                case "input-file-zeros" -> {
                    String[] pv = pathAndValue(value, where);
                    inputs.add(new InputFile(pv[0], new byte[Math.toIntExact(number(pv[1], where))], false));
                }
                case "input-file-zip-zeros" -> {
                    String[] pv = pathAndValue(value, where);
                    inputs.add(new InputFile(pv[0], zipOfZeros(number(pv[1], where)), false));
                }
                case "error-contains" -> errorContains.add(value);
                case "files" -> outputs = value.strip().equals("none") ? List.of() : List.of(value.strip().split("\\s+"));
                case "files-include" -> include.addAll(List.of(value.strip().split("\\s+")));
                case "files-count" -> outputCount = number(value, where);
                case "files-truncated" -> truncated = bool(value, where);
                case "files-not-contains" -> filesNotContains.add(value);
                case "network" -> {
                    if (!value.strip().equals("true")) {
                        throw new IllegalArgumentException(where + ": network must be true (or the line left out), got '"
                                + value.strip() + "'");
                    }
                    network = true;
                }
                default -> {
                    if (key.matches("(expect|stdout|stderr|stdin|limit|max-|run-|known-|network|files|input-|error-)[a-z0-9-]*")) {
                        throw new IllegalArgumentException(where + ": unknown corpus header '" + key + "'");
                    }
                    // prose that happens to contain ": "
                }
            }
        }
        if (expect == null) {
            throw new IllegalArgumentException(name + ": no '" + comment + " expect: STATUS' line in the header");
        }
        Optional<String> exactStdout = stdoutLines.isEmpty()
                ? Optional.empty()
                : Optional.of(String.join("\n", stdoutLines) + "\n");
        return new CorpusCase(name, language, code, expect, limits, exactStdout,
                stdoutLength == null ? OptionalLong.empty() : OptionalLong.of(stdoutLength),
                Optional.ofNullable(stdoutSha256), List.copyOf(contains), List.copyOf(notContains),
                List.copyOf(stderrContains), stdin.toString().getBytes(StandardCharsets.UTF_8),
                maxWallMs == null ? OptionalLong.empty() : OptionalLong.of(maxWallMs),
                Optional.ofNullable(runBeside), Optional.ofNullable(knownGap), Optional.ofNullable(unprivilegedExpect),
                Optional.ofNullable(withoutIa32), network,
                new FileExpectations(List.copyOf(inputs), List.copyOf(errorContains), Optional.ofNullable(outputs),
                        List.copyOf(include), outputCount == null ? OptionalLong.empty() : OptionalLong.of(outputCount),
                        Optional.ofNullable(truncated), List.copyOf(filesNotContains)));
    }

    private static byte[] zipOfZeros(long n) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.setLevel(9);
            zip.putNextEntry(new java.util.zip.ZipEntry("zeros.bin"));
            byte[] chunk = new byte[1 << 20];
            for (long left = n; left > 0; left -= chunk.length) {
                zip.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("making a zip of zeros", e);
        }
        return bytes.toByteArray();
    }

    /** "PATH=VALUE", split at the last '='. */
    private static String[] pathAndValue(String value, String where) {
        int eq = value.lastIndexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException(where + ": expected PATH=VALUE, got '" + value + "'");
        }
        return new String[] {value.substring(0, eq), value.substring(eq + 1)};
    }

    private static boolean bool(String value, String where) {
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(where + ": expected true or false, got '" + value + "'");
        };
    }

    /**
     * What this case must get in the given privilege mode, on a kernel with or without IA32
     * emulation.
     */
    Outcome expected(boolean unprivileged, boolean ia32Emulation) {
        if (!ia32Emulation && withoutIa32.isPresent()) {
            return withoutIa32.get();
        }
        return Outcome.of(unprivileged ? unprivilegedExpect.orElse(expect) : expect);
    }

    private static Status status(String wireName, String where) {
        return Arrays.stream(Status.values())
                .filter(s -> s.wireName().equals(wireName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(where + ": unknown status '" + wireName + "'"));
    }

    /** "STATUS [SIGNAL...]": signals by name, only with killed. */
    private static Outcome outcome(String spec, String where) {
        String[] words = spec.split("\\s+");
        Status status = status(words[0], where);
        Set<Integer> signals = new java.util.HashSet<>();
        for (String name : Arrays.asList(words).subList(1, words.length)) {
            Integer number = SIGNALS.get(name);
            if (number == null) {
                throw new IllegalArgumentException(where + ": unknown signal '" + name + "' (known: " + SIGNALS.keySet() + ")");
            }
            signals.add(number);
        }
        if (!signals.isEmpty() && status != Status.KILLED) {
            throw new IllegalArgumentException(where + ": signals go only with killed, not " + status.wireName());
        }
        return new Outcome(status, signals);
    }

    private static long number(String value, String where) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": not a number: '" + value + "'", e);
        }
    }

    private static JobLimits limits(String spec, String where) {
        JobLimits limits = JobLimits.DEFAULTS;
        for (String pair : spec.split("\\s+")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException(where + ": limit '" + pair + "' is not key=value");
            }
            long v = number(kv[1], where);
            limits = switch (kv[0]) {
                case "wall_time_ms" -> limits.withWallTimeMs(v);
                case "cpu_time_ms" -> limits.withCpuTimeMs(v);
                case "memory_mb" -> limits.withMemoryMb(v);
                case "max_output_bytes" -> limits.withMaxOutputBytes(v);
                case "max_processes" -> limits.withMaxProcesses(v);
                case "max_file_bytes" -> new JobLimits(limits.wallTimeMs(), limits.cpuTimeMs(), limits.memoryMb(),
                        limits.maxOutputBytes(), limits.maxProcesses(), v);
                default -> throw new IllegalArgumentException(where + ": unknown limit '" + kv[0] + "'");
            };
        }
        return limits;
    }

    Job job() {
        return new Job(language, code, stdin, limits, network, files.inputs());
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    /** The display name of the parameterized test: which program, and what it must get. */
    @Override
    public String toString() {
        return name + " -> " + expect.wireName() + withoutIa32.map(o -> " (without IA32: " + o + ")").orElse("")
                + knownGap.map(g -> " (known gap)").orElse("");
    }
}
