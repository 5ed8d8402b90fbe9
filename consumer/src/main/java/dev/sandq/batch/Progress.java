package dev.sandq.batch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a batch's progress on standard error while it runs: on a terminal, one line rewritten in
 * place a few times a second; otherwise (a log file, CI) a plain line every few seconds.
 */
public final class Progress implements AutoCloseable {
    /** How progress is shown. */
    public enum Style {
        /** TERMINAL when standard error is a terminal, else PLAIN. */
        AUTO,
        /** One line rewritten in place. */
        TERMINAL,
        /** A new line every {@link #PLAIN_EVERY}. */
        PLAIN,
        /** Nothing until the summary. */
        NONE
    }

    static final Duration TERMINAL_EVERY = Duration.ofMillis(250);
    static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

    private final Tally tally;
    private final long total;
    private final Clock clock;
    private final Instant start;
    private final PrintWriter err;
    private final Style style;
    private final ScheduledExecutorService ticker;
    private boolean closed;

    private Progress(Tally tally, long total, Clock clock, PrintWriter err, Style style) {
        this.tally = tally;
        this.total = total;
        this.clock = clock;
        this.start = clock.instant();
        this.err = err;
        this.style = style;
        if (style == Style.NONE) {
            ticker = null;
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandq-batch-progress");
            t.setDaemon(true);
            return t;
        });
        long every = (style == Style.TERMINAL ? TERMINAL_EVERY : PLAIN_EVERY).toMillis();
        ticker.scheduleAtFixedRate(this::show, every, every, TimeUnit.MILLISECONDS);
    }

    /** Starts showing progress; {@link Style#AUTO} looks at standard error. */
    public static Progress start(Tally tally, long total, Clock clock, PrintWriter err, Style style) {
        return new Progress(tally, total, clock, err, style == Style.AUTO
                ? (stderrIsTerminal() ? Style.TERMINAL : Style.PLAIN) : style);
    }

    /** Whether file descriptor 2 is a terminal (Linux: /proc/self/fd/2 points at a tty or pty). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public Duration elapsed() {
        return Duration.between(start, clock.instant());
    }

    private synchronized void show() {
        String line = ProgressLine.render(tally.snapshot(), total, elapsed());
        if (style == Style.TERMINAL) {
            err.print("\r" + line + "\u001b[K");
        } else {
            err.println("sandq batch: " + line);
        }
        err.flush();
    }

    /** Prints a message on a line of its own (the in-place line is redrawn at the next tick). */
    public synchronized void message(String text) {
        if (style == Style.TERMINAL) {
            err.print("\r\u001b[K");
        }
        err.println(text);
        err.flush();
    }

    /** Stops the display, leaving the last state on a line of its own. */
    @Override
    public synchronized void close() {
        if (ticker == null || closed) {
            return;
        }
        closed = true;
        ticker.shutdownNow();
        show();
        if (style == Style.TERMINAL) {
            err.println();
        }
        err.flush();
    }
}
