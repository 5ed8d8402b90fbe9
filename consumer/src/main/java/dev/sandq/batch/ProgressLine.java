package dev.sandq.batch;

import java.time.Duration;
import java.util.Locale;
import java.util.StringJoiner;

/** The text of the progress display: done/total, jobs/s, ETA and the counts by status. */
public final class ProgressLine {
    private ProgressLine() {
    }

    /**
     * One line, e.g. {@code 1234/10000 (12%)  85.2 jobs/s  ETA 1m43s  ok 1200  error 30  not answered 4}.
     * Jobs per second and the ETA count only the entries dealt with in this run, not those a
     * {@code --resume} skipped.
     */
    public static String render(Tally.Snapshot s, long total, Duration elapsed) {
        long done = s.doneThisRun() + s.skipped();
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        double rate = s.doneThisRun() / seconds;
        StringJoiner line = new StringJoiner("  ");
        if (total < 0) { // standard input: no total, no ETA
            line.add(done + " done");
            line.add(String.format(Locale.ROOT, "%.1f jobs/s", rate));
        } else {
            line.add(done + "/" + total + " (" + (total == 0 ? 100 : done * 100 / total) + "%)");
            line.add(String.format(Locale.ROOT, "%.1f jobs/s", rate));
            line.add("ETA " + (done >= total ? "0s" : rate > 0 ? duration(Duration.ofMillis(
                    (long) ((total - done) / rate * 1000))) : "?"));
        }
        s.byStatus().forEach((status, n) -> line.add(status + " " + n));
        if (s.unanswered() > 0) {
            line.add("not answered " + s.unanswered());
        }
        if (s.invalid() > 0) {
            line.add("invalid " + s.invalid());
        }
        return line.toString();
    }

    /** 1h02m, 3m05s, 42s. */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
