package dev.sandq.executor.internal.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads one of the job's output streams to its end, keeping what the shared budget allows and
 * discarding the rest (the job is killed at the cap, but its pipe must still be drained).
 */
final class StreamCapture implements Runnable {
    private final InputStream in;
    private final OutputBudget budget;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private volatile boolean truncated;
    private volatile IOException failure;

    StreamCapture(InputStream in, OutputBudget budget) {
        this.in = in;
        this.budget = budget;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int keep = budget.take(n);
                kept.write(buffer, 0, keep);
                if (keep < n) {
                    truncated = true;
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    byte[] bytes() {
        if (failure != null) {
            throw new UncheckedIOException("reading the job's output", failure);
        }
        return kept.toByteArray();
    }

    boolean truncated() {
        return truncated;
    }
}
