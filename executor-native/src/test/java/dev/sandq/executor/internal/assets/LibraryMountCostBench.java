package dev.sandq.executor.internal.assets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sandq.executor.JobLimits;
import dev.sandq.executor.Language;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.executor.internal.launch.FreshLaunch;
import dev.sandq.executor.internal.launch.LaunchSettings;
import dev.sandq.executor.seccomp.SeccompPolicies;
import dev.sandq.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A/B of one job's start-up with the shared libraries as the library view (new) versus the
 * whole /usr/lib/x86_64-linux-gnu bound (old): the same launcher, the same python3 'pass', the
 * two alternated so that the host's load hits both alike. A benchmark, not a check: runs only
 * with -Dsandq.bench=true (e.g. mvn -pl executor-native test -Dtest=LibraryMountCostBench
 * -Dsandq.bench=true), and prints p50/p90 of each and their difference.
 */
@Slow
@Timeout(value = 30, unit = TimeUnit.MINUTES) // a benchmark: -Dsandq.bench.runs launches of each kind
class LibraryMountCostBench {
    private static final int RUNS = Integer.getInteger("sandq.bench.runs", 200);

    @Test
    void libraryViewAgainstWholeLibraryDirectory() throws Exception {
        assumeTrue(Boolean.getBoolean("sandq.bench"), "benchmark: enable with -Dsandq.bench=true");
        Path dir = Files.createTempDirectory("sandq-libbench");
        try {
            LanguageProfile base = LanguageProfile.python3(Path.of("/usr/bin/python3"));
            LibraryView view = LibraryView.forProfile(base, LdCache.load(LdCache.DEFAULT), dir.resolve("view"));
            System.err.println("view: " + view.summary());
            LanguageProfile viewProfile = base.withLibraries(view.mounts());
            LanguageProfile wholeDir = base.withLibraries(List.of(
                    MountEntry.readOnly("/usr/lib/x86_64-linux-gnu"),
                    MountEntry.readOnlyIfPresent("/usr/lib64"),
                    MountEntry.symlink("usr/lib", "/lib"),
                    MountEntry.symlink("usr/lib64", "/lib64"),
                    MountEntry.readOnlyIfPresent("/etc/alternatives"),
                    MountEntry.readOnlyIfPresent("/etc/ld.so.cache")));
            Path seccomp = dir.resolve("seccomp.bpf");
            Files.write(seccomp, SeccompPolicies.load(Language.PYTHON3, false, List.of()).compileBpf());
            Path code = dir.resolve("code");
            Files.writeString(code, "pass\n");
            Path passwd = dir.resolve("passwd");
            Files.writeString(passwd, "sandbox:x:61000:61000:sandbox:/tmp:/nonexistent\n");
            SandboxLimits limits = SandboxLimits.DEFAULTS.resolve(JobLimits.DEFAULTS, SandboxLimits.CEILINGS);
            Path launcher = Path.of(System.getProperty("sandq.launcher"));
            List<String> a = command(launcher, viewProfile, limits, seccomp, dir.resolve("status"), code, passwd);
            List<String> b = command(launcher, wholeDir, limits, seccomp, dir.resolve("status"), code, passwd);
            for (int i = 0; i < 20; i++) {
                run(a);
                run(b);
            }
            long[] viewNs = new long[RUNS];
            long[] dirNs = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                viewNs[i] = run(a);
                dirNs[i] = run(b);
            }
            System.err.printf("python3 'pass', %d runs each, alternated: library view p50 %.2f ms p90 %.2f ms"
                            + " | whole /usr/lib/x86_64-linux-gnu p50 %.2f ms p90 %.2f ms | p50 difference %+.2f ms%n",
                    RUNS, pct(viewNs, 50), pct(viewNs, 90), pct(dirNs, 50), pct(dirNs, 90),
                    pct(viewNs, 50) - pct(dirNs, 50));
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static List<String> command(Path launcher, LanguageProfile profile, SandboxLimits limits, Path seccomp,
                                        Path status, Path code, Path passwd) {
        return new FreshLaunch(new LaunchSettings(launcher, PrivilegeMode.ROOT, 61000, "auto", "sandq", profile, limits,
                seccomp, status, Map.of("/etc/passwd", passwd)), code, Optional.empty()).argv();
    }

    private static long run(List<String> argv) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int exit = p.waitFor();
        long elapsed = System.nanoTime() - start;
        assertEquals(0, exit, () -> "launcher failed: " + out);
        return elapsed;
    }

    private static double pct(long[] ns, int percentile) {
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }
}
