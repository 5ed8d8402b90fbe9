package dev.sandq.cli;

import dev.sandq.batch.BatchInput;
import dev.sandq.batch.BatchRun;
import dev.sandq.batch.JsonlInput;
import dev.sandq.batch.LimitDefaults;
import dev.sandq.batch.Progress;
import dev.sandq.batch.ResultsFile;
import dev.sandq.batch.Summary;
import dev.sandq.batch.Tally;
import dev.sandq.client.MissingTopicsException;
import dev.sandq.client.SandqClient;
import dev.sandq.client.Status;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `sandq batch INPUT --out RESULTS.jsonl`: every job of a JSONL file, or every program of a
 * directory, through running workers, each result written as one line as it arrives.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Run many jobs: every line of a JSONL file of job documents, or every program (.py, .js, "
                + ".mjs) under a directory, through the workers; each result is written to --out as one JSON line, "
                + "with the job's id, as it arrives.",
            "A line without an id gets its line number as id; a program's id is its path relative to the directory. "
                + "Invalid lines are reported with their line number and not sent; the batch goes on.",
            "Progress goes to standard error (on a terminal: done/total, jobs/s, ETA, counts by status), then a "
                + "summary by status and the client's CPU per job."},
        footer = {"",
            "Resuming: after Ctrl-C or a crash, the same command with --resume sends only the jobs whose id has no "
                + "line in RESULTS yet. The jobs in flight at the interruption (at most --concurrency) and those "
                + "that timed out may then run twice.",
            "Exit codes: 0 every job answered, whatever its status; 4 some entries got no result (invalid, too "
                + "large for the jobs topic, no reply within --timeout, Kafka refused them), listed at the end; "
                + "5 every job answered but some with a --fail-on status; 1 sandq failed; 2 bad usage."})
public final class BatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "INPUT",
            description = "A JSONL file of job documents, a directory of programs, or - for JSONL on standard input.")
    Path input;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "RESULTS",
            description = "Where the results go, one JSON line each (JSONL).")
    Path out;

    @Option(names = "--concurrency", defaultValue = "64", paramLabel = "N",
            description = "Jobs in flight at once (default: ${DEFAULT-VALUE}: enough to keep 64 worker slots busy; "
                    + "jobs beyond the workers' slots wait in the jobs topic).")
    int concurrency;

    @Option(names = "--timeout", defaultValue = "PT30M", paramLabel = "DURATION",
            description = "How long a job may take from its send to its result (ISO-8601, default: "
                    + "${DEFAULT-VALUE}). It includes the wait in the jobs topic behind up to --concurrency others: "
                    + "for long jobs, raise it or lower --concurrency.")
    Duration timeout;

    @Option(names = "--resume", description = "Append to RESULTS and send only the jobs it has no result for.")
    boolean resume;

    @Option(names = "--overwrite", description = "Start RESULTS afresh when it exists.")
    boolean overwrite;

    @Option(names = "--fail-on", split = ",", paramLabel = "STATUS",
            description = "Exit 5 when a job ends with one of these statuses (e.g. error,timeout,internal_error).")
    List<String> failOn = List.of();

    @Option(names = "--limit", paramLabel = "NAME=VALUE",
            description = "A limit for every job that does not set it itself (repeatable): wall_time_ms, cpu_time_ms, "
                    + "memory_mb, max_output_bytes, max_processes or max_file_bytes, as in a job's limits; the workers "
                    + "clamp it to their ceilings.")
    Map<String, Long> limits = new java.util.LinkedHashMap<>();

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|terminal|plain|none",
            description = "How to show progress on standard error (default: ${DEFAULT-VALUE}: in place on a "
                    + "terminal, else a line every 5 s).")
    String progress;

    /** Exit code: some entries got no result. */
    static final int UNANSWERED = 4;
    /** Exit code: every job answered, some with a --fail-on status. */
    static final int FAILED_STATUS = 5;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String invalid = invalidOptions();
        if (invalid != null) {
            return usage(invalid);
        }
        LimitDefaults defaults = new LimitDefaults(limits);
        Progress.Style style = Progress.Style.valueOf(progress.toUpperCase(java.util.Locale.ROOT));
        boolean stdin = input.toString().equals("-");
        Set<String> answered = Set.of();
        if (resume) {
            ResultsFile.Answered before = ResultsFile.answeredIds(out);
            answered = before.ids();
            if (before.cutPartialLine()) {
                err.println("sandq batch: removed a half-written last line from " + out);
            }
            if (before.unreadableLines() > 0) {
                err.println("sandq batch: " + before.unreadableLines() + " line(s) of " + out
                        + " have no readable id; their jobs are sent again");
            }
        }
        BatchInput jobs = stdin ? JsonlInput.stream(System.in, defaults) : BatchInput.of(input, defaults);
        long total = jobs.count();
        Map<String, Object> props = kafka.clientProperties();
        SandqClient client;
        try {
            client = SandqClient.builder(props).jobsTopic(kafka.jobsTopic).resultsTopic(kafka.resultsTopic)
                    .timeout(timeout).window(concurrency).connectTimeout(Duration.ofSeconds(15)).build();
        } catch (MissingTopicsException e) {
            err.println("sandq batch: " + e.getMessage());
            return ExitCodes.SOFTWARE;
        } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
            err.println("sandq batch: " + (e instanceof IllegalStateException ? e.getMessage() // names the address
                    : "cannot reach Kafka at " + props.get("bootstrap.servers") + " (" + e.getMessage() + ")")
                    + "; is `sandq up` running? Otherwise give --bootstrap-servers");
            return ExitCodes.SOFTWARE;
        }
        if (resume && !answered.isEmpty()) {
            err.println("sandq batch: " + answered.size() + " job(s) already answered in " + out + "; sending the rest");
        }
        long cpuAtStart = processCpuNanos();
        Tally tally = new Tally();
        try (client; ResultsFile results = ResultsFile.open(out, resume);
             Progress shown = Progress.start(tally, total, Clock.systemUTC(), err, style)) {
            BatchRun run = new BatchRun(client, results, answered, concurrency, timeout, tally, shown::message);
            Thread onInterrupt = onInterrupt(run, shown, results, err);
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try {
                run.run(jobs);
            } finally {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            }
            shown.close();
            Summary.print(err, tally, total, shown.elapsed(), new Summary.Cpu(
                    Duration.ofNanos(processCpuNanos() - cpuAtStart), Duration.ofNanos(processCpuNanos())));
        }
        Tally.Snapshot s = tally.snapshot();
        if (s.unanswered() > 0 || s.invalid() > 0) {
            return UNANSWERED;
        }
        boolean failed = failOn.stream().anyMatch(st -> s.byStatus().getOrDefault(st, 0L) > 0);
        return failed ? FAILED_STATUS : ExitCodes.OK;
    }

    /** What is wrong with the options, in one sentence; null when nothing. */
    private String invalidOptions() throws java.io.IOException {
        Set<String> statuses = Arrays.stream(Status.values()).filter(s -> s != Status.UNKNOWN)
                .map(Status::wireName).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String s : failOn) {
            if (!statuses.contains(s)) {
                return "--fail-on: unknown status '" + s + "'; one of " + String.join(", ", statuses);
            }
        }
        if (Arrays.stream(Progress.Style.values()).noneMatch(st -> st.name().equalsIgnoreCase(progress))) {
            return "--progress must be auto, terminal, plain or none, got '" + progress + "'";
        }
        if (concurrency < 1 || timeout.isNegative() || timeout.isZero()) {
            return "--concurrency must be at least 1 and --timeout positive, got " + concurrency + " and " + timeout;
        }
        try {
            new LimitDefaults(limits);
        } catch (IllegalArgumentException e) {
            return "--limit: " + e.getMessage();
        }
        if (!input.toString().equals("-") && !Files.exists(input)) {
            return "no such file or directory: " + input;
        }
        Path outDir = out.toAbsolutePath().getParent();
        if (outDir != null && !Files.isDirectory(outDir)) {
            return "no such directory for --out: " + outDir;
        }
        if (resume && overwrite) {
            return "--resume and --overwrite exclude each other";
        }
        if (!resume && !overwrite && Files.exists(out) && Files.size(out) > 0) {
            return out + " exists; give --resume to finish that batch, or --overwrite to start afresh";
        }
        return null;
    }

    /**
     * On Ctrl-C or SIGTERM: send nothing more, close the results file (a line being written is
     * finished first) and say how many jobs were in flight, which --resume may run again.
     */
    private Thread onInterrupt(BatchRun run, Progress shown, ResultsFile results, PrintWriter err) {
        return new Thread(() -> {
            run.stop();
            int inFlight = run.inFlight();
            shown.close();
            try {
                results.close();
            } catch (java.io.IOException e) {
                err.println("sandq batch: closing " + out + ": " + e.getMessage());
            }
            err.println("sandq batch: interrupted; " + inFlight + " job(s) were in flight. Rerun with --resume "
                    + "to send the jobs " + out + " has no result for (those in flight may run twice).");
            err.flush();
        }, "sandq-batch-interrupted");
    }

    private int usage(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("sandq batch: " + message);
        err.flush();
        return ExitCodes.USAGE;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }
}
