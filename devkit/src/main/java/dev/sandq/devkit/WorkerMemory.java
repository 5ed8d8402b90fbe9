package dev.sandq.devkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The memory of another JVM (the worker under `sandq bench --watch-pid`): heap used right after a
 * forced full GC ({@code jcmd PID GC.run}, then {@code jstat -gc PID}: S0U+S1U+EU+OU), the
 * process's resident set ({@code VmRSS} in /proc/PID/status) and its open file descriptors
 * (/proc/PID/fd). Uses the JDK tools beside this JVM.
 */
final class WorkerMemory {
    private final long pid;
    private final Path bin = Path.of(System.getProperty("java.home"), "bin");

    WorkerMemory(long pid) {
        this.pid = pid;
    }

    /** One report line, e.g. {@code memory after 1000 jobs: heap used after GC 21.4 MiB, RSS 301.2 MiB, 180 open fds}. */
    String sample(int jobsDone) {
        try {
            run(bin.resolve("jcmd").toString(), String.valueOf(pid), "GC.run");
            double heapKb = heapUsedKb(run(bin.resolve("jstat").toString(), "-gc", String.valueOf(pid)));
            double rssKb = rssKb();
            return String.format("memory after %d jobs: heap used after GC %.1f MiB, RSS %.1f MiB, %d open fds",
                    jobsDone, heapKb / 1024, rssKb / 1024, openFds());
        } catch (IOException | RuntimeException e) {
            return "memory after " + jobsDone + " jobs: cannot read process " + pid + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "memory after " + jobsDone + " jobs: interrupted";
        }
    }

    static double heapUsedKb(String jstatGc) {
        List<String> lines = jstatGc.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2) {
            throw new IllegalArgumentException("unexpected jstat -gc output: " + jstatGc);
        }
        List<String> names = List.of(lines.get(0).trim().split("\\s+"));
        String[] values = lines.get(1).trim().split("\\s+");
        double sum = 0;
        for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            int i = names.indexOf(column);
            if (i < 0 || i >= values.length) {
                throw new IllegalArgumentException("no " + column + " column in jstat -gc output: " + jstatGc);
            }
            sum += Double.parseDouble(values[i]);
        }
        return sum;
    }

    private double rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Double.parseDouble(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    private long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.count();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
