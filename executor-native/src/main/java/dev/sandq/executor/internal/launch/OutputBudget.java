package dev.sandq.executor.internal.launch;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes stdout and stderr may still take together. The first stream to run out trips it,
 * once; whoever owns the job then kills it.
 */
final class OutputBudget {
    private final AtomicLong remaining;
    private final AtomicBoolean exceeded = new AtomicBoolean();
    private final Runnable onExceeded;

    OutputBudget(long maxBytes, Runnable onExceeded) {
        this.remaining = new AtomicLong(maxBytes);
        this.onExceeded = onExceeded;
    }

    /** How many of {@code wanted} bytes may be kept; trips the budget when fewer than wanted. */
    int take(int wanted) {
        while (true) {
            long left = remaining.get();
            int granted = (int) Math.min(left, wanted);
            if (remaining.compareAndSet(left, left - granted)) {
                if (granted < wanted && exceeded.compareAndSet(false, true)) {
                    onExceeded.run();
                }
                return granted;
            }
        }
    }

    boolean exceeded() {
        return exceeded.get();
    }
}
