package dev.sandq.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Where the CPU of a `sandq bench` run went, per job, from two samples of /proc taken around the
 * run. Components, in milliseconds per job:
 *
 * <ul>
 *   <li>machine: the busy time of all CPUs (/proc/stat: user+nice+system+irq+softirq+steal) minus
 *       the bench's own JVM;</li>
 *   <li>broker: when it runs in the worker's JVM ({@code sandq up}), the CPU of that JVM's threads
 *       that are the broker's by {@link #owner their name}; when it is another local process (the
 *       one listening on the bootstrap port), that process's CPU;</li>
 *   <li>worker: the worker JVM's CPU but the broker's threads; the JVM's own threads (GC, JIT
 *       compilers, VM) are counted here, and shown apart ({@code runtime}): they serve the broker
 *       too when it shares the JVM;</li>
 *   <li>launchers: the worker JVM's child processes and their descendants (launchers, sandbox
 *       inits, prestarted sandboxes, the Python zygote): the change of the JVM's cutime+cstime
 *       (children it reaped) plus that of utime+stime+cutime+cstime of each live descendant, minus
 *       the jobs' own;</li>
 *   <li>jobs: the sum of the results' usage.cpu_time_ms (a prestarted job's CPU counts from its
 *       start: its interpreter's start-up is the launchers');</li>
 *   <li>other: the rest of the machine's busy time: kernel threads (kworkers, softirq) and any
 *       other process on the host.</li>
 * </ul>
 *
 * /proc's times are in clock ticks (USER_HZ, 10 ms on most kernels): short runs are coarse.
 */
final class CpuAccounting {
    private CpuAccounting() {
    }

    /** Who a thread of the worker's JVM works for. */
    enum ThreadOwner {
        /** sandq's own threads, the Kafka clients', and the helpers the worker uses. */
        WORKER,
        /** The JVM's own: GC, JIT compilers, VM threads (shared by the worker and an embedded broker). */
        RUNTIME,
        /** Every other thread: the embedded Kafka broker's (request handlers, network, log, raft, ...). */
        BROKER
    }

    /**
     * Name prefixes of the worker's threads, as /proc shows thread names: their first 15 bytes.
     * sandq names all of its threads sandq-...; the Kafka clients' are kafka-producer-network-thread,
     * kafka-coordinator-heartbeat-thread and kafka-admin-client-thread; java (or main) is the main
     * thread, which runs `sandq up`'s poll loop.
     */
    static final List<String> WORKER_THREADS = List.of("sandq-", "kafka-producer-", "kafka-coordinat",
            "kafka-admin-cli", "micrometer-", "HTTP-Dispatcher", "process reaper", "JNA Cleaner", "ForkJoinPool",
            "java", "main");
    /** Name prefixes of the JVM's own threads. */
    static final List<String> RUNTIME_THREADS = List.of("GC Thread", "G1 ", "VM ", "C1 CompilerThre",
            "C2 CompilerThre", "Sweeper thread", "Signal Dispatch", "Service Thread", "Reference Handl", "Finalizer",
            "Common-Cleaner", "Notification Th", "Monitor Deflati", "Attach Listener");

    /** The rule: {@link #WORKER_THREADS}, then {@link #RUNTIME_THREADS}, else the broker's. */
    static ThreadOwner owner(String threadName) {
        if (WORKER_THREADS.stream().anyMatch(threadName::startsWith)) {
            return ThreadOwner.WORKER;
        }
        if (RUNTIME_THREADS.stream().anyMatch(threadName::startsWith)) {
            return ThreadOwner.RUNTIME;
        }
        return ThreadOwner.BROKER;
    }

    /** One line of /proc/PID/stat or /proc/PID/task/TID/stat; times in clock ticks. */
    record TaskStat(long pid, String comm, long ppid, long utime, long stime, long cutime, long cstime) {
        /** The comm is in parentheses and may hold spaces and parentheses itself: it ends at the last ')'. */
        static TaskStat parse(String line) {
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            if (open < 0 || close < open) {
                throw new IllegalArgumentException("not a /proc stat line: " + line);
            }
            String[] rest = line.substring(close + 2).trim().split(" ");
            if (rest.length < 15) {
                throw new IllegalArgumentException("too few fields in a /proc stat line: " + line);
            }
            // rest[0] is field 3 (state): field n is rest[n - 3]
            return new TaskStat(Long.parseLong(line.substring(0, open).trim()), line.substring(open + 1, close),
                    Long.parseLong(rest[1]), Long.parseLong(rest[11]), Long.parseLong(rest[12]),
                    Long.parseLong(rest[13]), Long.parseLong(rest[14]));
        }

        long own() {
            return utime + stime;
        }

        /** Its own time and that of the children it reaped. */
        long withChildren() {
            return utime + stime + cutime + cstime;
        }
    }

    /** The busy ticks of all CPUs, from /proc/stat's first line: user+nice+system+irq+softirq+steal. */
    static long busyTicks(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 9) {
                    throw new IllegalArgumentException("too few fields in /proc/stat's cpu line: " + line);
                }
                long busy = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                    busy += Long.parseLong(f[i]);
                }
                return busy;
            }
        }
        throw new IllegalArgumentException("no cpu line in /proc/stat");
    }

    /**
     * The worker's JVM at one instant: the process, its threads by thread id, and the ticks of its
     * live descendants, each with the children it reaped.
     */
    record WorkerSample(TaskStat process, Map<Long, TaskStat> threads, long descendantTicks) {
    }

    /** The machine at one instant. */
    record Sample(long busyTicks, long benchCpuNanos, Optional<WorkerSample> worker, OptionalLong brokerProcessTicks) {
    }

    /** Milliseconds of CPU per job; empty where it was not measured. */
    record Split(int jobs, double machine, OptionalDouble broker, OptionalDouble worker, OptionalDouble runtime,
                 OptionalDouble launchers, double job, double other) {
    }

    /**
     * The split of the CPU used between {@code before} and {@code after} over {@code jobs} jobs,
     * which used {@code jobsCpuMs} themselves; {@code brokerInWorker}: the broker runs in the
     * worker's JVM (its threads are told apart by {@link #owner}).
     */
    static Split split(Sample before, Sample after, long jobsCpuMs, int jobs, double msPerTick,
                       boolean brokerInWorker) {
        double n = Math.max(1, jobs);
        double machine = machineMs(before, after, msPerTick);
        double job = jobsCpuMs;
        double accounted = job;
        OptionalDouble broker = OptionalDouble.empty();
        OptionalDouble worker = OptionalDouble.empty();
        OptionalDouble runtime = OptionalDouble.empty();
        OptionalDouble launchers = OptionalDouble.empty();
        if (before.worker().isPresent() && after.worker().isPresent()) {
            WorkerSample b = before.worker().get();
            WorkerSample a = after.worker().get();
            double jvm = (a.process().own() - b.process().own()) * msPerTick;
            double children = (a.process().cutime() + a.process().cstime() + a.descendantTicks()
                    - b.process().cutime() - b.process().cstime() - b.descendantTicks()) * msPerTick;
            Map<ThreadOwner, Double> byOwner = threadDeltas(b.threads(), a.threads(), msPerTick);
            double brokerThreads = byOwner.getOrDefault(ThreadOwner.BROKER, 0.0);
            double workerMs = brokerInWorker ? jvm - brokerThreads : jvm;
            worker = OptionalDouble.of(workerMs / n);
            runtime = OptionalDouble.of(byOwner.getOrDefault(ThreadOwner.RUNTIME, 0.0) / n);
            launchers = OptionalDouble.of((children - job) / n);
            if (brokerInWorker) {
                broker = OptionalDouble.of(brokerThreads / n);
            }
            accounted = jvm + children;
        }
        if (before.brokerProcessTicks().isPresent() && after.brokerProcessTicks().isPresent()) {
            double brokerMs = (after.brokerProcessTicks().getAsLong() - before.brokerProcessTicks().getAsLong())
                    * msPerTick;
            broker = OptionalDouble.of(brokerMs / n);
            accounted += brokerMs;
        }
        return new Split(jobs, machine / n, broker, worker, runtime, launchers, job / n, (machine - accounted) / n);
    }

    /**
     * Consecutive spans' splits as one, each figure weighted by its span's jobs; a figure that one
     * of them lacks is left out.
     */
    static Split combine(List<Split> spans) {
        if (spans.isEmpty()) {
            throw new IllegalArgumentException("no span to combine");
        }
        int jobs = spans.stream().mapToInt(Split::jobs).sum();
        return new Split(jobs, weighted(spans, Split::machine), weightedIfAll(spans, Split::broker),
                weightedIfAll(spans, Split::worker), weightedIfAll(spans, Split::runtime),
                weightedIfAll(spans, Split::launchers), weighted(spans, Split::job), weighted(spans, Split::other));
    }

    private static double weighted(List<Split> spans, ToDoubleFunction<Split> perJob) {
        double total = 0;
        int jobs = 0;
        for (Split s : spans) {
            total += perJob.applyAsDouble(s) * s.jobs();
            jobs += s.jobs();
        }
        return total / Math.max(1, jobs);
    }

    private static OptionalDouble weightedIfAll(List<Split> spans, Function<Split, OptionalDouble> perJob) {
        if (spans.stream().anyMatch(s -> perJob.apply(s).isEmpty())) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(weighted(spans, s -> perJob.apply(s).getAsDouble()));
    }

    /** The CPU of each thread between the samples, by owner; a thread that ended meanwhile is not seen. */
    private static Map<ThreadOwner, Double> threadDeltas(Map<Long, TaskStat> before, Map<Long, TaskStat> after,
                                                         double msPerTick) {
        Map<ThreadOwner, Double> byOwner = new HashMap<>();
        after.forEach((tid, t) -> {
            TaskStat b = before.get(tid);
            long ticks = t.own() - (b == null ? 0 : b.own());
            byOwner.merge(owner(t.comm()), ticks * msPerTick, Double::sum);
        });
        return byOwner;
    }

    /** The busy time of all CPUs between the two samples, without this bench's own. */
    static double machineMs(Sample before, Sample after, double msPerTick) {
        return (after.busyTicks() - before.busyTicks()) * msPerTick
                - (after.benchCpuNanos() - before.benchCpuNanos()) / 1e6;
    }

    /** Samples this machine: the worker's JVM when {@code workerPid} is given, a separate local broker's process when {@code brokerPid} is. */
    static Sample sample(OptionalLong workerPid, OptionalLong brokerPid) {
        long busy = busyTicks(read(Path.of("/proc/stat")));
        long bench = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                .getProcessCpuTime();
        Optional<WorkerSample> worker = Optional.empty();
        if (workerPid.isPresent()) {
            worker = workerSample(workerPid.getAsLong());
        }
        OptionalLong broker = OptionalLong.empty();
        if (brokerPid.isPresent()) {
            Optional<TaskStat> stat = stat(Path.of("/proc", String.valueOf(brokerPid.getAsLong()), "stat"));
            broker = stat.map(s -> OptionalLong.of(s.own())).orElse(OptionalLong.empty());
        }
        return new Sample(busy, bench, worker, broker);
    }

    private static Optional<WorkerSample> workerSample(long pid) {
        Path proc = Path.of("/proc", String.valueOf(pid));
        Optional<TaskStat> process = stat(proc.resolve("stat"));
        if (process.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, TaskStat> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                stat(task.resolve("stat")).ifPresent(t -> threads.put(t.pid(), t));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new WorkerSample(process.get(), threads, descendantTicks(pid)));
    }

    /** utime+stime+cutime+cstime of every live descendant of {@code pid}. */
    private static long descendantTicks(long pid) {
        Map<Long, List<TaskStat>> children = new HashMap<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path p : all) {
                stat(p.resolve("stat")).ifPresent(s -> children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing /proc", e);
        }
        long ticks = 0;
        Deque<Long> todo = new ArrayDeque<>(List.of(pid));
        while (!todo.isEmpty()) {
            for (TaskStat child : children.getOrDefault(todo.pop(), List.of())) {
                ticks += child.withChildren();
                todo.push(child.pid());
            }
        }
        return ticks;
    }

    /** Empty when the process or thread is gone. */
    private static Optional<TaskStat> stat(Path file) {
        try {
            return Optional.of(TaskStat.parse(Files.readString(file).trim()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /** Milliseconds per clock tick of /proc's times ({@code getconf CLK_TCK}; 10 ms when it cannot say). */
    static double msPerTick() {
        return Ticks.MS_PER_TICK;
    }

    /** Asked once: the tick does not change, and each question is a process started. */
    private static final class Ticks {
        static final double MS_PER_TICK = read();

        private Ticks() {
        }
    }

    private static double read() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0) {
                return 1000.0 / Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 10.0;
    }
}
