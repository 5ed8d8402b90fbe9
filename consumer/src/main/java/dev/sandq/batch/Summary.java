package dev.sandq.batch;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The end of a batch on standard error: a table by status, then every entry without a result. */
public final class Summary {
    private Summary() {
    }

    /** Client CPU, from the JVM's process CPU time: over the run, and with the JVM's start-up. */
    public record Cpu(Duration run, Duration total) {
    }

    public static void print(PrintWriter err, Tally tally, long total, Duration elapsed, Cpu cpu) {
        Tally.Snapshot s = tally.snapshot();
        err.printf(Locale.ROOT, "%-28s %10s%n", "status", "jobs");
        s.byStatus().forEach((status, n) -> err.printf(Locale.ROOT, "%-28s %10d%n", status, n));
        err.printf(Locale.ROOT, "%-28s %10d%n", "answered", s.answered());
        if (s.unanswered() > 0) {
            err.printf(Locale.ROOT, "%-28s %10d%n", "not answered", s.unanswered());
        }
        if (s.invalid() > 0) {
            err.printf(Locale.ROOT, "%-28s %10d%n", "invalid (not sent)", s.invalid());
        }
        if (s.skipped() > 0) {
            err.printf(Locale.ROOT, "%-28s %10d%n", "answered before (--resume)", s.skipped());
        }
        err.printf(Locale.ROOT, "%-28s %10d%n", "total", total >= 0 ? total : s.doneThisRun() + s.skipped());
        long sent = s.answered() + s.unanswered();
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        err.printf(Locale.ROOT, "%d jobs sent in %s: %.1f jobs/s%n", sent, ProgressLine.duration(elapsed),
                sent / seconds);
        if (sent > 0) {
            err.printf(Locale.ROOT, "client CPU: %.2f ms per job (%.2f s over the run; %.2f s with the JVM's start-up)%n",
                    cpu.run().toNanos() / 1e6 / sent, cpu.run().toNanos() / 1e9, cpu.total().toNanos() / 1e9);
        }
        List<Tally.Problem> invalid = tally.invalidEntries();
        if (!invalid.isEmpty()) {
            err.println("invalid entries (not sent):");
            invalid.forEach(p -> err.println("  " + p.where() + ": " + p.reason()));
        }
        List<Tally.Problem> unanswered = tally.unansweredJobs();
        if (!unanswered.isEmpty()) {
            err.println("jobs without a result (rerun with --resume to send them again):");
            unanswered.forEach(p -> err.println("  " + p.id() + ": " + p.reason()));
        }
        err.flush();
    }
}
