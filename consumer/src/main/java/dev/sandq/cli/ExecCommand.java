package dev.sandq.cli;

import dev.sandq.executor.InputFile;
import dev.sandq.executor.Job;
import dev.sandq.executor.JobLimits;
import dev.sandq.executor.Language;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sandq.modes.JobProgram;
import dev.sandq.wire.JobMode;
import dev.sandq.wire.JobParseOutcome;
import dev.sandq.wire.JobParser;
import dev.sandq.wire.JobReply;
import dev.sandq.wire.JobReplyCodec;
import dev.sandq.wire.JobRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sandq exec}: one job through the sandbox, no Kafka; prints the result as one JSON line. */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one program in the sandbox and prints the result as one JSON line.",
            "Exits 0 whenever the job ran, whatever its status; 2 on bad usage; 3 when the sandbox "
                    + "cannot work on this host."
        })
final class ExecCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Mixin
    SandboxOptions sandboxOptions;

    @Mixin
    FileOptions fileOptions;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-",
            description = "The program; '-' reads it from standard input. Its extension (.py, .js, .mjs, .cjs) "
                    + "gives the language unless --lang is set.")
    String file;

    @Option(names = "--lang", paramLabel = "LANG", converter = Languages.Converter.class,
            completionCandidates = Languages.Names.class,
            description = "python3 or nodejs (default: from the file's extension).")
    Language language;

    @Option(names = "--stdin", paramLabel = "FILE", description = "Feeds this file to the program's standard input ('-' for sandq's own).")
    String stdinFile;

    @Option(names = "--timeout-ms", paramLabel = "N", description = "Wall-clock limit in milliseconds (default 5000).")
    Long timeoutMs;

    @Option(names = "--memory-mb", paramLabel = "N", description = "Memory limit in MiB (default 256).")
    Long memoryMb;

    @Option(names = "--network", negatable = true,
            description = "The job asks for the network (enable_network); it runs only with --allow-network.")
    Boolean network;

    @Option(names = "--job", paramLabel = "FILE",
            description = "A whole job document (JSON, the job fields of the wire contract; '-' for standard input). "
                    + "Flags given beside it override its fields.")
    String jobFile;

    /** The id of the job document, if it had one, for the reply. */
    private String jobId;

    @Override
    public Integer call() throws SandboxUnavailableException, InterruptedException, IOException {
        JobProgram program = program();
        Job job = program.job();
        // One job: nothing to prestart a sandbox for.
        SandboxConfig config = sandboxOptions.toConfig(spec.commandLine()).toBuilder().prestart(false).build();
        try (Sandbox sandbox = main.sandboxes().create(config)) {
            Instant startedAt = main.clock().instant();
            JobProgram.Extracted ran = program.extract(sandbox.run(job));
            JobReply reply = JobReply.of(jobId, null, ran.result(), ran.value(), "exec", 1, startedAt,
                    main.clock().instant());
            spec.commandLine().getOut().println(new String(JobReplyCodec.toJson(reply), StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            fileOptions.writeOutputs(reply.files());
        }
        return ExitCodes.OK;
    }

    /** The program these arguments describe; a usage error when they describe none. */
    JobProgram program() {
        JobRequest request = request();
        Language lang = language != null ? language : request.language();
        JobLimits limits = request.limits();
        if (timeoutMs != null) {
            limits = limits.withWallTimeMs(positive(timeoutMs, "--timeout-ms"));
        }
        if (memoryMb != null) {
            limits = limits.withMemoryMb(positive(memoryMb, "--memory-mb"));
        }
        boolean enableNetwork = network != null ? network : request.enableNetwork();
        List<InputFile> files = new ArrayList<>(request.files());
        try {
            files.addAll(fileOptions.inputFiles());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        request = new JobRequest(request.id(), lang, request.code(), request.mode(), request.inputs(),
                request.preload(), request.stdin(), enableNetwork, limits, request.deadline(), files);
        jobId = request.id();
        byte[] stdin = request.stdin().getBytes(StandardCharsets.UTF_8);
        if (stdinFile != null) {
            if (stdinFile.equals("-") && ("-".equals(file) || "-".equals(jobFile))) {
                throw usage("standard input cannot be both the program and its input");
            }
            stdin = readBytes(stdinFile, "--stdin");
            long max = sandboxOptions.limits().maxInputBytes();
            if (stdin.length > max) {
                throw usage("the --stdin file " + stdinFile + " is " + stdin.length + " bytes, over --max-input-bytes "
                        + max);
            }
        }
        return JobProgram.of(request, stdin);
    }

    private JobRequest request() {
        if (jobFile != null) {
            if (file != null) {
                throw usage("give either FILE or --job, not both");
            }
            JobParseOutcome parsed = new JobParser(maxCodeBytes(), sandboxOptions.limits().maxInputBytes())
                    .parse(readBytes(jobFile, "--job"));
            if (parsed instanceof JobParseOutcome.Invalid invalid) {
                throw usage("invalid job document " + jobFile + ": " + invalid.reason());
            }
            return ((JobParseOutcome.Valid) parsed).job();
        }
        if (file == null) {
            throw usage("missing FILE (a program, or '-' for standard input) or --job FILE");
        }
        Language lang = language;
        if (lang == null) {
            if (file.equals("-")) {
                throw usage("--lang is required when the program comes from standard input");
            }
            lang = Languages.fromFileName(file).orElseThrow(() -> usage(
                    "cannot tell the language of '" + file + "' from its extension; use --lang python3|nodejs"));
        }
        String code = readText(file, "FILE");
        long codeBytes = code.getBytes(StandardCharsets.UTF_8).length;
        if (codeBytes > maxCodeBytes()) {
            throw usage("the program " + file + " is " + codeBytes + " bytes, over --max-code-bytes " + maxCodeBytes());
        }
        return new JobRequest(null, lang, code, JobMode.SCRIPT,
                JsonNodeFactory.instance.objectNode(), "", "", false, JobLimits.DEFAULTS, null);
    }

    private long maxCodeBytes() {
        try {
            return sandboxOptions.limits().maxCodeBytes();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private long positive(long value, String option) {
        if (value <= 0) {
            throw usage(option + " must be positive, got " + value);
        }
        return value;
    }

    private String readText(String name, String what) {
        byte[] bytes = readBytes(name, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw usage(what + " " + name + " is not valid UTF-8");
        }
    }

    private byte[] readBytes(String name, String what) {
        try {
            if (name.equals("-")) {
                InputStream in = main.stdin();
                return in.readAllBytes();
            }
            return Files.readAllBytes(Path.of(name));
        } catch (IOException | RuntimeException e) {
            throw usage("cannot read " + what + " " + name + ": " + describe(e));
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
