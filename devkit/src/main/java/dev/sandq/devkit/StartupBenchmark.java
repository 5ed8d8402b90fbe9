package dev.sandq.devkit;

import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.Result;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.Status;
import dev.sandq.executor.internal.assets.LanguageProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Start-up cost of the sandbox: the trivial program ({@code pass}, or an empty script) run bare
 * (same interpreter, arguments and environment), sandboxed from scratch, and sandboxed in a
 * prestarted sandbox, in turn in the same run so that all see the same noise, for each language.
 * Reports p50/p99 of each and the differences of the medians.
 *
 * <p>The prestarted runs measure a job that arrives at an idle slot: each follows a pause long
 * enough for the slot's next sandbox to be ready. Back to back, a job waits for the rest of it.
 */
public final class StartupBenchmark {
    /** Before each prestarted run: time for the slot to prestart its next sandbox. */
    static final long IDLE_PAUSE_MS = 100;

    private final Sandbox cold;
    private final Sandbox prestarted;
    private final Map<Language, Path> interpreters;
    private final PrintWriter out;

    /**
     * @param cold       a sandbox that builds each job's sandbox when the job arrives
     * @param prestarted one that prestarts them
     */
    public StartupBenchmark(Sandbox cold, Sandbox prestarted, Map<Language, Path> interpreters, PrintWriter out) {
        this.cold = cold;
        this.prestarted = prestarted;
        this.interpreters = Map.copyOf(interpreters);
        this.out = out;
    }

    /** Milliseconds. */
    public record Figures(Language language, double bareP50, double bareP99, double sandboxedP50, double sandboxedP99,
            double prestartedP50, double prestartedP99) {
        public double overheadP50() {
            return sandboxedP50 - bareP50;
        }

        public double prestartedOverheadP50() {
            return prestartedP50 - bareP50;
        }
    }

    public Figures measure(Language language, int runs, int warmup) throws IOException, InterruptedException {
        String code = language == Language.PYTHON3 ? "pass\n" : "\n";
        Path script = Files.createTempFile("sandq-bench-", language == Language.PYTHON3 ? ".py" : ".js");
        try {
            Files.writeString(script, code);
            ProcessBuilder bareCommand = bareCommand(language, script);
            long[] bare = new long[runs];
            long[] sandboxed = new long[runs];
            long[] warm = new long[runs];
            for (int i = -warmup; i < runs; i++) {
                long b = timeBare(language, bareCommand);
                long s = timeSandboxed(cold, language, code);
                Thread.sleep(IDLE_PAUSE_MS);
                long w = timeSandboxed(prestarted, language, code);
                if (i >= 0) {
                    bare[i] = b;
                    sandboxed[i] = s;
                    warm[i] = w;
                }
            }
            return new Figures(language, percentile(bare, 50), percentile(bare, 99),
                    percentile(sandboxed, 50), percentile(sandboxed, 99),
                    percentile(warm, 50), percentile(warm, 99));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /**
     * The bare run gets the job's own arguments and environment, not the caller's: a host
     * environment can change start-up a lot (NODE_EXTRA_CA_CERTS alone adds ~30 ms to node).
     */
    private ProcessBuilder bareCommand(Language language, Path script) {
        LanguageProfile profile = LanguageProfile.forLanguage(language, interpreters.get(language));
        List<String> argv = new ArrayList<>();
        argv.add(profile.interpreter().toString());
        argv.addAll(profile.arguments().subList(1, profile.arguments().size()));
        argv.add(script.toString());
        ProcessBuilder bare = new ProcessBuilder(argv).redirectErrorStream(true);
        bare.environment().clear();
        bare.environment().putAll(profile.environment());
        return bare;
    }

    private static long timeBare(Language language, ProcessBuilder bare) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = bare.start();
        p.getInputStream().readAllBytes();
        int exit = p.waitFor();
        long elapsed = System.nanoTime() - start;
        if (exit != 0) {
            throw new IllegalStateException("bare " + language.wireName() + " exited with " + exit);
        }
        return elapsed;
    }

    private static long timeSandboxed(Sandbox sandbox, Language language, String code) throws InterruptedException {
        long start = System.nanoTime();
        Result r = sandbox.run(Job.of(language, code));
        long elapsed = System.nanoTime() - start;
        if (r.status() != Status.OK) {
            throw new IllegalStateException("sandboxed " + language.wireName() + " ended " + r.status() + ": " + r.error()
                    + " " + r.stderr());
        }
        return elapsed;
    }

    static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    public void report(Figures f) {
        out.printf("%-8s bare p50 %7.2f ms  p99 %7.2f ms | sandboxed p50 %7.2f ms  p99 %7.2f ms | p50 overhead %+6.2f ms%n",
                f.language().wireName(), f.bareP50(), f.bareP99(), f.sandboxedP50(), f.sandboxedP99(), f.overheadP50());
        out.printf("%-8s prestarted, idle slot: p50 %7.2f ms  p99 %7.2f ms | p50 vs bare %+6.2f ms%n",
                f.language().wireName(), f.prestartedP50(), f.prestartedP99(), f.prestartedOverheadP50());
    }
}
