package dev.sandq.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandq.cli.ExitCodes;
import dev.sandq.cli.KafkaOptions;
import dev.sandq.executor.Language;
import dev.sandq.executor.internal.launch.LauncherRunner;
import dev.sandq.wire.JobMode;
import dev.sandq.wire.JobStage;
import dev.sandq.wire.StagesHeader;
import dev.sandq.wire.WireHeaders;
import dev.sandq.worker.DeliveryMode;
import dev.sandq.worker.topics.TopicNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `sandq bench`: N trivial jobs of one kind (language and mode) at concurrency C through a running
 * worker. It prints the host's facts; the throughput and submit-to-reply latency p50/p90/p99; the
 * p50 and p99 of each stage of a job (from the replies' sandq_stages header, and for the stages
 * after the reply is sent from the worker's /metrics); the CPU per job by component over the run
 * ({@link CpuAccounting}); and, in the same run, the rate of bare interpreter starts (the
 * baseline, {@link BenchKind}: measured just before and just after the worker's run and averaged;
 * no job code runs outside the sandbox). With --delivery it starts the workers itself, one delivery
 * mode after the other ({@link BenchWorker}), and prints the modes side by side.
 * docs/performance.md says how to read it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure a running worker.")
public final class BenchCommand implements Callable<Integer> {
    static {
        // The bare baseline is the interpreter started as a shell starts it: by vfork and exec, as
        // the worker starts its launchers. The JDK's default would exec twice per start and flatter
        // the worker's ratios.
        LauncherRunner.startProcessesByVfork();
    }

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--jobs", defaultValue = "200", description = "Jobs to send (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--concurrency", defaultValue = "2", split = ",", paramLabel = "C[,C...]",
            description = "Jobs in flight at once, and the parallelism of the bare baseline (default: ${DEFAULT-VALUE}); "
                    + "several (1,2) are measured in turn.")
    List<Integer> concurrencies;

    @Option(names = "--delivery", split = ",", paramLabel = "MODE[,MODE...]",
            description = "Instead of measuring a running worker: start `sandq worker --delivery MODE` for each mode "
                    + "in turn (at-least-once, exactly-once, queue), each on topics and a group of its own "
                    + "(bench-RUN-MODE.*, deleted after), measure it at each --concurrency, and print the modes side by "
                    + "side (e.g. --delivery at-least-once,queue --concurrency 1,2).")
    List<String> deliveries = new ArrayList<>();

    @Option(names = "--rounds", defaultValue = "4", paramLabel = "R",
            description = "Rounds the measured jobs are sent in, with the bare baseline measured before the first, "
                    + "between them and after the last, so that the host's drift weighs on both alike; each round "
                    + "at least 50 jobs (default: ${DEFAULT-VALUE}; 1: the jobs in one go, bare before and after).")
    int rounds;

    @Option(names = "--warm-up-jobs", defaultValue = "1000", paramLabel = "N",
            description = "Jobs sent, unmeasured, before the first measured line (at the first --concurrency), so "
                    + "that the JIT of this command's own Kafka client and of the worker (a `sandq up` just started, "
                    + "or with --delivery each started worker) is not counted: the steady state is measured "
                    + "(default: ${DEFAULT-VALUE}, about 10 s; 0: none, and one job only with --delivery).")
    int warmUpJobs;

    @Option(names = "--worker-slots", paramLabel = "N",
            description = "With --delivery: the started workers' --slots (default: theirs, one per core).")
    Integer workerSlots;

    @Option(names = "--workers", defaultValue = "1", paramLabel = "N",
            description = "With --delivery: workers started per mode, in one group (default: ${DEFAULT-VALUE}); the "
                    + "stages and CPU shown are the first one's.")
    int workers;

    @Option(names = "--partitions", paramLabel = "P",
            description = "With --delivery: partitions of each mode's jobs topic (default: as `sandq up` makes them, "
                    + "4, and 1 for queue mode); with 1, a consumer group gives the partition to one worker, a share "
                    + "group to all.")
    Integer partitions;

    /** The concurrency, topics and worker of the measurement under way. */
    private int concurrency;
    private TopicNames topics;

    @Option(names = "--lang", defaultValue = "python3", paramLabel = "python3|nodejs",
            description = "Language of the jobs (default: ${DEFAULT-VALUE}).")
    String lang;

    @Option(names = "--mode", defaultValue = "script", paramLabel = "script|function|template",
            description = "Mode of the jobs (default: ${DEFAULT-VALUE}); template is python3 only.")
    String mode;

    @Option(names = "--code", description = "Source of each job (default: trivial code of the language and mode: "
            + "`pass`, `0;`, a main returning {}, the template `{{ n }}`).")
    String code;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python of the baseline.")
    String python;

    @Option(names = "--node", defaultValue = "/usr/bin/node", description = "Node.js of the baseline.")
    String node;

    @Option(names = "--metrics-url", defaultValue = "http://127.0.0.1:9464/metrics", paramLabel = "URL",
            description = "The worker's /metrics (default: ${DEFAULT-VALUE}, `sandq up`'s): the times of the stages "
                    + "after a reply is sent (produced, acknowledged, offset committed); n/a when unreachable.")
    String metricsUrl;

    @Option(names = "--worker-pid", paramLabel = "PID",
            description = "The worker's JVM, for the CPU by component. Default: --watch-pid, else the process "
                    + "listening on the --metrics-url port, else the one listening on the broker's port if it is a "
                    + "sandq JVM, else the only process `pgrep -f 'dev.sandq.cli.Main (up|worker)'` finds.")
    Long workerPid;

    @Option(names = "--watch-pid", paramLabel = "PID",
            description = "The worker's JVM (e.g. `sandq up`): every --report-every jobs, force a GC in it "
                    + "(jcmd GC.run) and print its heap used after GC (jstat), its RSS and its open fds (/proc).")
    Long watchPid;

    @Option(names = "--report-every", defaultValue = "1000", paramLabel = "N",
            description = "Jobs between two --watch-pid reports.")
    int reportEvery;

    @Option(names = "--files",
            description = "After the run, the same number of jobs, each with " + "10 input files of 10 KB and a 200 KB PNG "
                    + "output (--lang's language; script mode), and one line with their jobs/s and p50 and the ratio of "
                    + "each to the run's own jobs (issue 15's cost of files).")
    boolean files;

    /**
     * One measurement, a mode (or "running worker") at a concurrency: its throughput, latency and
     * the machine's CPU per job (broker, worker, sandboxes, jobs).
     */
    record Measured(String delivery, int concurrency, double jobsPerSecond, double p50Ms, double p99Ms,
                    double machineCpuMsPerJob) {
    }

    @Override
    public Integer call() throws Exception {
        if (jobs < 1 || rounds < 1 || reportEvery < 1 || workers < 1 || (partitions != null && partitions < 1)
                || concurrencies.stream().anyMatch(c -> c < 1)) {
            System.err.println("sandq bench: --jobs, --rounds, --concurrency, --report-every, --workers and --partitions "
                    + "must be >= 1, got " + jobs + ", " + rounds + ", " + concurrencies + ", " + reportEvery + ", "
                    + workers + ", " + partitions);
            return ExitCodes.USAGE;
        }
        if (warmUpJobs < 0) {
            System.err.println("sandq bench: --warm-up-jobs must be >= 0, got " + warmUpJobs);
            return ExitCodes.USAGE;
        }
        List<DeliveryMode> modes = new ArrayList<>();
        try {
            deliveries.forEach(d -> modes.add(DeliveryMode.parse(d)));
        } catch (IllegalArgumentException e) {
            System.err.println("sandq bench: --delivery: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        BenchKind kind;
        try {
            kind = BenchKind.of(Language.fromWireName(lang).orElseThrow(() -> new IllegalArgumentException(
                            "--lang must be python3 or nodejs, got " + lang)),
                    JobMode.fromWireName(mode).orElseThrow(() -> new IllegalArgumentException(
                            "--mode must be script, function or template, got " + mode)),
                    code, python, node);
        } catch (IllegalArgumentException e) {
            System.err.println("sandq bench: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        System.out.println(HostFacts.gather().line());
        List<Measured> measured = new ArrayList<>();
        if (modes.isEmpty()) {
            topics = kafka.topics();
            runWarmUpJobs(kind);
            for (int c : concurrencies) {
                Optional<Measured> m = measure(kind, c, "running worker");
                if (m.isEmpty()) {
                    return 1;
                }
                measured.add(m.get());
            }
        } else {
            String run = Long.toHexString(System.currentTimeMillis());
            for (DeliveryMode mode : modes) {
                try (BenchWorker worker = BenchWorker.start(kafka.bootstrapServersOrLocal(), kafka.kafkaProperties(),
                        mode, run, workerSlots, workers,
                        partitions != null ? partitions : UpCommand.defaultPartitions(mode))) {
                    topics = worker.target().topics();
                    metricsUrl = worker.target().metricsUrl();
                    workerPid = worker.pid();
                    warmUp(kind);
                    runWarmUpJobs(kind);
                    for (int c : concurrencies) {
                        Optional<Measured> m = measure(kind, c, mode.wireName());
                        if (m.isEmpty()) {
                            return 1;
                        }
                        measured.add(m.get());
                    }
                }
            }
        }
        if (measured.size() > 1) {
            System.out.println(sideBySide(measured));
        }
        return 0;
    }

    /**
     * One job through a worker just started, not measured: a new member of a group (a share group
     * above all: its first assignment comes with a heartbeat, seconds) takes a while to get work.
     */
    private void warmUp(BenchKind kind) throws Exception {
        runUnmeasured(kind, 1, 1, Duration.ofMinutes(2));
    }

    /** The --warm-up-jobs, unmeasured, at the first --concurrency. */
    private void runWarmUpJobs(BenchKind kind) throws Exception {
        if (warmUpJobs > 0) {
            runUnmeasured(kind, concurrencies.get(0), warmUpJobs, timeFor(warmUpJobs));
        }
    }

    /** {@code n} jobs through the worker, {@code c} at a time, none of them measured, all answered within {@code limit}. */
    private void runUnmeasured(BenchKind kind, int c, int n, Duration limit) throws Exception {
        Map<String, Object> props = kafka.clientProperties();
        ObjectMapper mapper = new ObjectMapper();
        ReplySamples samples = new ReplySamples(n);
        try (KafkaConsumer<byte[], byte[]> replies = reader(props);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(withDefaults(props),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            Round round = new Round(replies, producer, kind.body(mapper), "warm-up-" + Long.toHexString(System.nanoTime()),
                    mapper, samples, null, ANY_REPLY);
            OptionalDouble seconds = round.run(n, c, limit);
            if (seconds.isEmpty()) {
                throw new IllegalStateException("only " + samples.count() + " of " + n
                        + " warm-up jobs were answered within " + limit.toSeconds() + " s");
            }
            System.out.printf("%d warm-up job(s) answered in %.0f ms (not measured)%n", n, seconds.getAsDouble() * 1000);
        }
    }

    /**
     * The measurements one line each, with each one's jobs/s and machine CPU per job relative to
     * the first at the same concurrency.
     */
    static String sideBySide(List<Measured> measured) {
        StringBuilder out = new StringBuilder("side by side (jobs/s and machine cpu per job, each relative to the first "
                + "line of the same concurrency):");
        for (Measured m : measured) {
            Measured first = measured.stream().filter(o -> o.concurrency() == m.concurrency()).findFirst().orElse(m);
            out.append(String.format("%n  %-15s concurrency %-3d %8.1f jobs/s  p50 %8.1f ms  p99 %8.1f ms  x%.2f"
                            + "  cpu %6.2f ms/job  x%.2f",
                    m.delivery(), m.concurrency(), m.jobsPerSecond(), m.p50Ms(), m.p99Ms(),
                    m.jobsPerSecond() / first.jobsPerSecond(), m.machineCpuMsPerJob(),
                    m.machineCpuMsPerJob() / first.machineCpuMsPerJob()));
        }
        return out.toString();
    }

    /**
     * Sends the jobs at {@code c} in flight to {@link #topics}, in rounds with the bare baseline
     * measured before, between and after them ({@link InterleavedRounds}), and prints what it
     * measured; empty when not all were answered.
     */
    private Optional<Measured> measure(BenchKind kind, int c, String delivery) throws Exception {
        concurrency = c;
        if (concurrencies.size() > 1 || !deliveries.isEmpty()) {
            System.out.println("== " + delivery + ", concurrency " + c + " ==");
        }
        Map<String, Object> props = kafka.clientProperties();
        Processes processes = findProcesses();
        System.out.println(processes.line());
        WorkerMemory memory = watchPid == null ? null : new WorkerMemory(watchPid);
        if (memory != null) {
            System.out.println(memory.sample(0));
        }
        List<Integer> plan = InterleavedRounds.plan(jobs, rounds);
        InterleavedRounds interleaved = new InterleavedRounds();
        Optional<InterleavedRounds> yardstick = kind.yardstick().isEmpty() ? Optional.empty()
                : Optional.of(new InterleavedRounds());
        measureBare(kind, interleaved, yardstick, plan.get(0));
        ReplySamples samples = new ReplySamples(jobs);
        List<CpuAccounting.Split> cpu = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        double msPerTick = CpuAccounting.msPerTick();
        Scrape scrapeBefore = scrape();
        try (KafkaConsumer<byte[], byte[]> replies = reader(props);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(withDefaults(props),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            Round round = new Round(replies, producer, kind.body(mapper), Long.toHexString(System.nanoTime()), mapper,
                    samples, memory, ANY_REPLY);
            for (int r = 0; r < plan.size(); r++) {
                int n = plan.get(r);
                long jobsCpuBefore = samples.jobsCpuMs();
                CpuAccounting.Sample cpuBefore = CpuAccounting.sample(processes.worker(), processes.separateBroker());
                OptionalDouble seconds = round.run(n, concurrency, timeFor(n));
                if (seconds.isEmpty()) {
                    System.err.println("sandq bench: only " + samples.count() + " of " + jobs
                            + " answered (round " + (r + 1) + " of " + plan.size() + " ran out of time)");
                    return Optional.empty();
                }
                CpuAccounting.Sample cpuAfter = CpuAccounting.sample(processes.worker(), processes.separateBroker());
                cpu.add(CpuAccounting.split(cpuBefore, cpuAfter, samples.jobsCpuMs() - jobsCpuBefore, n, msPerTick,
                        processes.brokerInWorker()));
                interleaved.round(new InterleavedRounds.Round(n, seconds.getAsDouble()));
                yardstick.ifPresent(y -> y.round(new InterleavedRounds.Round(n, seconds.getAsDouble())));
                measureBare(kind, interleaved, yardstick, n);
            }
        }
        // The offsets of the last jobs are committed after their replies: give the commit a moment.
        Scrape scrapeAfter = scrapeOnceCommitted(scrapeBefore);
        double throughput = interleaved.perSecond();
        System.out.printf("jobs %d, concurrency %d, %s: %.1f jobs/s; submit-to-reply ms p50 %.1f p90 %.1f p99 %.1f%n",
                jobs, concurrency, kind.label(), throughput, samples.latency(50), samples.latency(90),
                samples.latency(99));
        System.out.printf("of which in the worker (started_at to finished_at) ms p50 %.1f p90 %.1f; "
                + "in the sandbox (usage.wall_time_ms) p50 %.1f p90 %.1f%n",
                samples.inWorker(50), samples.inWorker(90), samples.inSandbox(50), samples.inSandbox(90));
        System.out.printf("around the worker, when it runs on this host: send to started_at ms p50 %.0f p90 %.0f; "
                + "finished_at to reply received ms p50 %.0f p90 %.0f%n",
                samples.toWorker(50), samples.toWorker(90), samples.backFromWorker(50), samples.backFromWorker(90));
        printStages(samples.stages(), scrapeBefore, scrapeAfter);
        CpuAccounting.Split split = CpuAccounting.combine(cpu);
        printCpu(split, processes);
        System.out.printf("bare `%s` at concurrency %d: %.1f starts/s (%s); worker/bare ratio %.2f%s%n",
                kind.baselineCommand(), concurrency, interleaved.barePerSecond(), rangeOf(interleaved, InterleavedRounds.Bare::perSecond),
                interleaved.ratio(), byRound(interleaved));
        System.out.printf("bare `%s` machine cpu ms per start: %.2f (%s); cpu per job / per bare start %.2f%n",
                kind.baselineCommand(), interleaved.bareCpuMsEach(), rangeOf(interleaved, InterleavedRounds.Bare::cpuMsEach),
                split.machine() / interleaved.bareCpuMsEach());
        if (yardstick.isPresent()) {
            InterleavedRounds y = yardstick.get();
            System.out.printf("bare `%s` at concurrency %d (issue 13's yardstick for function and template jobs): "
                    + "%.1f starts/s (%s); worker/bare ratio %.2f%s%n", kind.yardstickCommand(), concurrency,
                    y.barePerSecond(), rangeOf(y, InterleavedRounds.Bare::perSecond), y.ratio(), byRound(y));
        }
        if (files) {
            Optional<double[]> withFiles = filesRun(props, mapper);
            if (withFiles.isEmpty()) {
                return Optional.empty();
            }
            double filesRate = withFiles.get()[0];
            double filesP50 = withFiles.get()[1];
            System.out.printf("files (%s), %d jobs, concurrency %d: %.1f jobs/s, submit-to-reply p50 %.1f ms; "
                    + "ratio to the run's %s jobs: jobs/s %.2f, p50 %.2f%n", FilesBenchJob.label(), jobs, concurrency,
                    filesRate, filesP50, kind.label(), filesRate / throughput, filesP50 / samples.latency(50));
        }
        System.out.println("load average (1, 5, 15 min) at the end: "
                + Files.readString(Path.of("/proc/loadavg")).trim());
        return Optional.of(new Measured(delivery, c, throughput, samples.latency(50), samples.latency(99),
                split.machine()));
    }

    /** The bare baseline, and the kind's yardstick if it has one, once: before the first round or after one. */
    private void measureBare(BenchKind kind, InterleavedRounds interleaved, Optional<InterleavedRounds> yardstick,
                             int roundJobs) throws Exception {
        interleaved.bare(bareStarts(kind.baseline(), roundJobs));
        if (yardstick.isPresent()) {
            yardstick.get().bare(bareStarts(kind.yardstick(), roundJobs));
        }
    }

    /** "from A to B, measured N times: before each of R rounds of jobs and after the last". */
    private static String rangeOf(InterleavedRounds run, ToDoubleFunction<InterleavedRounds.Bare> value) {
        DoubleSummaryStatistics s = run.bareMeasurements().stream().mapToDouble(value).summaryStatistics();
        int rounds = run.rounds().size();
        return String.format("from %.1f to %.1f, measured %d times: %s", s.getMin(), s.getMax(), s.getCount(),
                rounds == 1 ? "before the jobs and after them" : "before each of " + rounds
                        + " rounds of jobs and after the last");
    }

    /** "; by round: 0.95, 1.02, ..." when there were several. */
    private static String byRound(InterleavedRounds run) {
        List<Double> ratios = run.roundRatios();
        if (ratios.size() < 2) {
            return "";
        }
        StringJoiner joined = new StringJoiner(", ", "; by round: ", "");
        ratios.forEach(r -> joined.add(String.format("%.2f", r)));
        return joined.toString();
    }

    /** A round's check of each reply that takes any reply. */
    private static final Function<JsonNode, Optional<String>> ANY_REPLY = reply -> Optional.empty();

    /** How long {@code n} jobs may take before the bench gives up on them. */
    private static Duration timeFor(int n) {
        return Duration.ofMinutes(10).plusMillis(100L * n);
    }

    /**
     * Jobs sent round by round through one producer and read back through one consumer: each
     * round keeps a number of jobs in flight until its last is answered.
     */
    private final class Round {
        private final KafkaConsumer<byte[], byte[]> replies;
        private final KafkaProducer<byte[], byte[]> producer;
        private final byte[] body;
        private final String run;
        private final ObjectMapper mapper;
        private final ReplySamples samples;
        private final WorkerMemory memory;
        private final Function<JsonNode, Optional<String>> check;
        private final long[] sentAt;
        private final long[] sentAtEpochMs;
        private int sent;
        private Optional<String> refused = Optional.empty();

        /**
         * @param memory where to report the worker's memory every {@link #reportEvery} replies, or null
         * @param check  why a reply is not what it must be, if it is not: the round stops there
         */
        Round(KafkaConsumer<byte[], byte[]> replies, KafkaProducer<byte[], byte[]> producer, byte[] body, String run,
              ObjectMapper mapper, ReplySamples samples, WorkerMemory memory,
              Function<JsonNode, Optional<String>> check) {
            this.replies = replies;
            this.producer = producer;
            this.body = body;
            this.run = run;
            this.mapper = mapper;
            this.samples = samples;
            this.memory = memory;
            this.check = check;
            sentAt = new long[samples.capacity()];
            sentAtEpochMs = new long[samples.capacity()];
        }

        /** What the check found wrong with a reply, which ended the round. */
        Optional<String> refused() {
            return refused;
        }

        /**
         * The next {@code n} jobs, {@code inFlight} at a time: their seconds from the first send to
         * the last reply; empty if not all came within {@code limit}.
         */
        OptionalDouble run(int n, int inFlight, Duration limit) throws Exception {
            int last = sent + n;
            long start = System.nanoTime();
            long deadline = start + limit.toNanos();
            while (samples.count() < last && System.nanoTime() < deadline) {
                while (sent < last && sent - samples.count() < inFlight) {
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topics.jobs(), body);
                    r.headers().add(WireHeaders.CORRELATION_ID, correlation(run, sent));
                    sentAt[sent] = System.nanoTime();
                    sentAtEpochMs[sent] = System.currentTimeMillis();
                    producer.send(r);
                    sent++;
                }
                for (ConsumerRecord<byte[], byte[]> r : replies.poll(Duration.ofMillis(5))) {
                    int i = index(run, r.key());
                    if (i < 0) {
                        continue;
                    }
                    Header stages = r.headers().lastHeader(StagesHeader.NAME);
                    JsonNode reply = mapper.readTree(r.value());
                    samples.add((System.nanoTime() - sentAt[i]) / 1e6, reply, sentAtEpochMs[i],
                            System.currentTimeMillis(), stages == null ? null : stages.value());
                    refused = check.apply(reply);
                    if (refused.isPresent()) {
                        return OptionalDouble.empty();
                    }
                    if (memory != null && samples.count() % reportEvery == 0) {
                        System.out.println(memory.sample(samples.count()));
                    }
                }
            }
            return samples.count() < last ? OptionalDouble.empty()
                    : OptionalDouble.of((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * {@link #jobs} jobs of {@link FilesBenchJob} at {@link #concurrency}: {jobs/s, p50 ms}, each
     * reply checked to be ok with its PNG; empty (after saying why) when not all were answered so.
     */
    private Optional<double[]> filesRun(Map<String, Object> props, ObjectMapper mapper) throws Exception {
        Language language = Language.fromWireName(lang).orElseThrow();
        ReplySamples samples = new ReplySamples(jobs);
        try (KafkaConsumer<byte[], byte[]> replies = reader(props);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(withDefaults(props),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            Round round = new Round(replies, producer, FilesBenchJob.body(mapper, language),
                    Long.toHexString(System.nanoTime()), mapper, samples, null, BenchCommand::notOkWithItsPng);
            OptionalDouble seconds = round.run(jobs, concurrency, timeFor(jobs));
            if (round.refused().isPresent()) {
                System.err.println("sandq bench: a files job was not answered ok with its PNG: " + round.refused().get());
                return Optional.empty();
            }
            if (seconds.isEmpty()) {
                System.err.println("sandq bench: only " + samples.count() + " of " + jobs + " files jobs answered in time");
                return Optional.empty();
            }
            return Optional.of(new double[] {jobs / seconds.getAsDouble(), samples.latency(50)});
        }
    }

    /** Why a files job's reply is not what it must be (ok, with its PNG), if it is not. */
    private static Optional<String> notOkWithItsPng(JsonNode reply) {
        JsonNode png = reply.path("files").path(0);
        if (reply.path("status").asText().equals("ok") && png.path("media_type").asText().equals("image/png")
                && png.path("size").asInt() >= FilesBenchJob.OUTPUT_BYTES) {
            return Optional.empty();
        }
        return Optional.of(reply.path("status").asText() + " " + reply.path("error").asText("") + " "
                + reply.path("stderr").asText(""));
    }

    /** One line per stage: from the replies' header, and the stages after the send from /metrics. */
    private void printStages(StageTimes stages, Scrape before, Scrape after) {
        Map<String, double[]> fromHeader = stages.sorted();
        System.out.printf("stages, ms from the stage before (%d of %d replies had a %s header; later stages from %s):%n",
                stages.replies(), jobs, StagesHeader.NAME, metricsUrl);
        for (JobStage stage : JobStage.values()) {
            String name = stage.wireName();
            if (stage == JobStage.POLLED) {
                continue;
            }
            double[] times = fromHeader.get(name);
            if (times != null) {
                System.out.printf("  %-14s p50 %8.2f  p99 %8.2f  header, %d jobs%n", name,
                        StageTimes.percentile(times, 50), StageTimes.percentile(times, 99), times.length);
            } else if (stage.ordinal() > JobStage.RESULT_READ.ordinal()) {
                System.out.println("  " + String.format("%-14s", name) + " " + fromMetrics(name, before, after));
            } else {
                System.out.printf("  %-14s n/a (no reply reached it)%n", name);
            }
        }
    }

    private static String fromMetrics(String stage, Scrape before, Scrape after) {
        if (before.failure().isPresent() || after.failure().isPresent()) {
            return "n/a (" + before.failure().or(after::failure).get() + ")";
        }
        TreeMap<Double, Double> buckets = StageHistograms.delta(before.histograms(), after.histograms())
                .getOrDefault(stage, new TreeMap<>());
        OptionalDouble p50 = StageHistograms.quantile(buckets, 0.5);
        OptionalDouble p99 = StageHistograms.quantile(buckets, 0.99);
        if (p50.isEmpty()) {
            return "n/a (no job counted in sandq_job_stage_seconds during the run)";
        }
        return String.format("p50 %8.2f  p99 %8.2f  /metrics histogram, %.0f jobs", p50.getAsDouble() * 1000,
                p99.getAsDouble() * 1000, StageHistograms.count(buckets));
    }

    private static void printCpu(CpuAccounting.Split s, Processes processes) {
        System.out.printf("cpu ms per job over the run (%d jobs): machine %.2f (the busy time of all CPUs, "
                + "without this bench's)%n", s.jobs(), s.machine());
        cpuLine("broker", s.broker(), processes.brokerInWorker() ? "its threads in the worker JVM" : "its process",
                processes.brokerNote());
        cpuLine("worker JVM", s.worker(), "its other threads" + (s.runtime().isPresent()
                ? String.format("; of which GC, JIT, VM threads %.2f", s.runtime().getAsDouble()) : ""), "no worker JVM");
        cpuLine("launchers, zygote, prestarted", s.launchers(), "the JVM's child processes, without the jobs",
                "no worker JVM");
        cpuLine("jobs", OptionalDouble.of(s.job()), "usage.cpu_time_ms", "");
        cpuLine("other", OptionalDouble.of(s.other()), "the rest: kernel threads, softirq, other processes", "");
    }

    private static void cpuLine(String component, OptionalDouble ms, String what, String whyAbsent) {
        if (ms.isPresent()) {
            System.out.printf("  %-30s %8.2f  %s%n", component, ms.getAsDouble(), what);
        } else {
            System.out.printf("  %-30s %8s  %s%n", component, "n/a", whyAbsent);
        }
    }

    /** The worker's JVM and where the broker runs, as far as this host shows them. */
    private record Processes(OptionalLong worker, String how, OptionalLong separateBroker, boolean brokerInWorker,
                             String brokerNote) {
        String line() {
            return "worker JVM: " + (worker.isPresent() ? "pid " + worker.getAsLong() + " (" + how + ")" : "n/a (" + how
                    + ")") + "; broker: " + brokerNote;
        }
    }

    private Processes findProcesses() {
        OptionalLong brokerListener = port(kafka.bootstrapServersOrLocal().split(",")[0])
                .map(WorkerProcess::listeningOn).orElse(OptionalLong.empty());
        OptionalLong worker;
        String how;
        if (workerPid != null) {
            worker = OptionalLong.of(workerPid);
            how = "--worker-pid";
        } else if (watchPid != null) {
            worker = OptionalLong.of(watchPid);
            how = "--watch-pid";
        } else {
            OptionalLong metrics = port(URI.create(metricsUrl).getAuthority()).map(WorkerProcess::listeningOn)
                    .orElse(OptionalLong.empty());
            List<Long> sandq = WorkerProcess.sandqJvms();
            if (metrics.isPresent()) {
                worker = metrics;
                how = "listening on the --metrics-url port";
            } else if (brokerListener.isPresent() && WorkerProcess.isSandqJvm(brokerListener.getAsLong())) {
                worker = brokerListener;
                how = "listening on the broker's port";
            } else if (sandq.size() == 1) {
                worker = OptionalLong.of(sandq.get(0));
                how = "pgrep -f '" + WorkerProcess.SANDQ_JVM + "'";
            } else {
                worker = OptionalLong.empty();
                how = sandq.isEmpty() ? "none found: give --worker-pid"
                        : sandq.size() + " sandq JVMs " + sandq + ": give --worker-pid";
            }
        }
        if (brokerListener.isEmpty()) {
            return new Processes(worker, how, OptionalLong.empty(), false, "not a process of this host");
        }
        if (worker.isPresent() && worker.getAsLong() == brokerListener.getAsLong()) {
            return new Processes(worker, how, OptionalLong.empty(), true, "in the worker JVM (embedded)");
        }
        return new Processes(worker, how, brokerListener, false, "pid " + brokerListener.getAsLong());
    }

    /** The port of {@code host:port}, if it has one. */
    private static Optional<Integer> port(String hostPort) {
        if (hostPort == null) {
            return Optional.empty();
        }
        int colon = hostPort.lastIndexOf(':');
        try {
            return colon < 0 ? Optional.empty() : Optional.of(Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A scrape of the worker's /metrics, or why there is none. */
    private record Scrape(Map<String, TreeMap<Double, Double>> histograms, Optional<String> failure) {
        double committed() {
            return StageHistograms.count(histograms.getOrDefault(JobStage.COMMITTED.wireName(), new TreeMap<>()));
        }
    }

    private Scrape scrape() {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(metricsUrl))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new Scrape(Map.of(), Optional.of(metricsUrl + " answered " + response.statusCode()));
            }
            return new Scrape(StageHistograms.parse(response.body()), Optional.empty());
        } catch (java.io.IOException | IllegalArgumentException e) {
            return new Scrape(Map.of(), Optional.of(metricsUrl + " unreachable: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Scrape(Map.of(), Optional.of("interrupted"));
        }
    }

    /** A scrape once every job's offset is counted as committed, or after 2 s (the commit interval is 200 ms). */
    private Scrape scrapeOnceCommitted(Scrape before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (true) {
            Scrape after = scrape();
            if (after.failure().isPresent() || before.failure().isPresent()
                    || after.committed() - before.committed() >= jobs || System.nanoTime() > deadline) {
                return after;
            }
            Thread.sleep(50); // waiting on another process's commit: nothing to be told by
        }
    }

    /** {@code n} bare starts of {@code command} (200 at most), {@link #concurrency} at a time. */
    private InterleavedRounds.Bare bareStarts(List<String> command, int n) throws Exception {
        int starts = Math.min(n, 200);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            CpuAccounting.Sample cpuBefore = CpuAccounting.sample(OptionalLong.empty(), OptionalLong.empty());
            long t0 = System.nanoTime();
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < starts; i++) {
                fs.add(pool.submit(() -> new ProcessBuilder(command)
                        .redirectErrorStream(true).start().waitFor()));
            }
            for (Future<Integer> f : fs) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            CpuAccounting.Sample cpuAfter = CpuAccounting.sample(OptionalLong.empty(), OptionalLong.empty());
            return new InterleavedRounds.Bare(starts / seconds,
                    CpuAccounting.machineMs(cpuBefore, cpuAfter, CpuAccounting.msPerTick()) / starts);
        } finally {
            pool.shutdown();
        }
    }

    private static byte[] correlation(String run, int i) {
        return (run + ":" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static int index(String run, byte[] key) {
        if (key == null) {
            return -1;
        }
        String k = new String(key, StandardCharsets.UTF_8);
        return k.startsWith(run + ":") ? Integer.parseInt(k.substring(run.length() + 1)) : -1;
    }

    private KafkaConsumer<byte[], byte[]> reader(Map<String, Object> props) {
        Map<String, Object> p = new HashMap<>(props);
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(topics.results()).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }

    private static Map<String, Object> withDefaults(Map<String, Object> props) {
        Map<String, Object> p = new HashMap<>(props);
        p.putIfAbsent("linger.ms", "0");
        p.putIfAbsent("acks", "all");
        return p;
    }
}
