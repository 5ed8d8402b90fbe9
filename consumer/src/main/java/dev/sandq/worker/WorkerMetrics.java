package dev.sandq.worker;

import dev.sandq.wire.JobStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The worker's meters: jobs by language and status, duration, the time of each stage of a job,
 * queue wait, busy slots, paused partitions, circuit, and how jobs got their sandboxes.
 */
final class WorkerMetrics {
    /** The stages' histogram spans 10 µs (parsing a small job) to 60 s (a long job's run). */
    private static final Duration STAGE_MIN = Duration.ofNanos(10_000);
    private static final Duration STAGE_MAX = Duration.ofSeconds(60);

    private final MeterRegistry registry;
    /** sandq.job.stage per stage; none for the first, polled, from which the others count. */
    private final Map<JobStage, Timer> stages = new EnumMap<>(JobStage.class);
    // The meters each job records, looked up once: building and registering one per job (a meter
    // id, the registry's filters, a map lookup) showed in the reply thread's profile.
    private final Map<LanguageAndStatus, Counter> answeredJobs = new ConcurrentHashMap<>();
    private final Map<String, Timer> jobDurations = new ConcurrentHashMap<>();
    /** Registered at the first job, as before: until then /metrics shows no queue wait. */
    private volatile Timer queueWait;

    private record LanguageAndStatus(String language, String status) {
    }

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (JobStage stage : JobStage.values()) {
            if (stage != JobStage.POLLED) {
                stages.put(stage, Timer.builder("sandq.job.stage")
                        .description("Time of each stage of a job, from the stage before it that the job reached")
                        .tag("stage", stage.wireName())
                        .publishPercentileHistogram().minimumExpectedValue(STAGE_MIN).maximumExpectedValue(STAGE_MAX)
                        .register(registry));
            }
        }
    }

    /** Each stage the job reached after polled, its time from the stage reached before it. */
    void stages(JobTimeline timeline) {
        timeline.durations().forEach(this::stage);
    }

    /** One stage's time (offset committed: known only once the commit is). */
    void stage(JobStage stage, Duration time) {
        Timer timer = stages.get(stage);
        if (timer != null) {
            timer.record(time);
        }
    }

    void answered(Delivery d, Duration duration) {
        String status = d.deadLetter() ? "dead_letter" : d.status().wireName();
        answeredJobs.computeIfAbsent(new LanguageAndStatus(d.language(), status), key ->
                Counter.builder("sandq.jobs").description("Jobs answered, by language and status")
                        .tag("language", key.language()).tag("status", key.status())
                        .register(registry)).increment();
        jobDurations.computeIfAbsent(d.language(), language ->
                Timer.builder("sandq.job.duration").description("From taking a job to its acknowledged answer")
                        .tag("language", language).publishPercentileHistogram()
                        .register(registry)).record(duration);
    }

    void queueWait(Duration wait) {
        Timer timer = queueWait;
        if (timer == null) {
            timer = Timer.builder("sandq.job.queue.wait").description("From the job record's timestamp to its start")
                    .publishPercentileHistogram().register(registry);
            queueWait = timer;
        }
        timer.record(wait);
    }

    void gauges(Supplier<Number> busySlots, Supplier<Number> pausedPartitions, Supplier<Number> circuitOpen,
                Supplier<Number> inFlight) {
        Gauge.builder("sandq.slots.busy", busySlots).register(registry);
        Gauge.builder("sandq.partitions.paused", pausedPartitions).register(registry);
        Gauge.builder("sandq.circuit.open", circuitOpen)
                .description("1 while the sandbox circuit breaker is open (jobs are not taken)").register(registry);
        Gauge.builder("sandq.jobs.in_flight", inFlight).register(registry);
    }

    /**
     * The sandbox's own counters: how jobs got their sandboxes (prestarted for them, or built when
     * they arrived), and after how many the sandbox failed to clean up. A function counter holds
     * its object weakly and freezes once that is collected: the guard lives as long as the worker.
     */
    void sandboxCounters(SandboxGuard guard) {
        FunctionCounter.builder("sandq.sandbox.starts", guard, g -> g.starts().prestarted())
                .description("Jobs by how their sandbox was started: prestarted for them, or built when they arrived")
                .tag("kind", "prestarted").register(registry);
        FunctionCounter.builder("sandq.sandbox.starts", guard, g -> g.starts().built())
                .description("Jobs by how their sandbox was started: prestarted for them, or built when they arrived")
                .tag("kind", "built").register(registry);
        FunctionCounter.builder("sandq.sandbox.cleanup.failures", guard, SandboxGuard::cleanupFailures)
                .description("Jobs after which the sandbox failed to clean up (a cgroup or mount may be left on the host)")
                .register(registry);
        guard.launchPaths().forEach((language, choice) -> {
            Gauge.builder("sandq.sandbox.launch.path", () -> 1)
                    .description("How each language's jobs start (fresh, prestarted or zygote): 1 for the path taken")
                    .tags("language", language.wireName(), "path", choice.path().wireName(),
                            "pinned", Boolean.toString(choice.pinned()))
                    .strongReference(true)
                    .register(registry);
            choice.cpuPerJob().forEach((path, cpu) -> TimeGauge.builder("sandq.sandbox.launch.cpu", () -> cpu.toNanos(),
                            TimeUnit.NANOSECONDS)
                    .description("CPU one trivial job cost this host by each launch path, measured at start")
                    .tags("language", language.wireName(), "path", path.wireName())
                    .strongReference(true)
                    .register(registry));
        });
    }

    MeterRegistry registry() {
        return registry;
    }
}
