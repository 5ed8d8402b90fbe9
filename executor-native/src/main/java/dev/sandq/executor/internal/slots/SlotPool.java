package dev.sandq.executor.internal.slots;

import java.util.List;

/**
 * The worker's sandbox slots, each used by one job at a time, and at most {@code concurrency}
 * jobs at once. A slot's index picks its uid and its directory. With prestarting there are more
 * slots than jobs may run at once: a slot whose job has ended builds the sandbox of a job to come
 * while the next job already runs in another. A job may prefer some slots (those holding a
 * sandbox prestarted for it, the ready ones first): it gets the first of them that is free, and
 * any free slot otherwise.
 */
public final class SlotPool {
    private final boolean[] taken;
    private final int concurrency;
    private int busy;

    public SlotPool(int size, int concurrency) {
        if (concurrency < 1 || concurrency > size) {
            throw new IllegalArgumentException("concurrency must be between 1 and the " + size + " slots, got "
                    + concurrency);
        }
        this.taken = new boolean[size];
        this.concurrency = concurrency;
    }

    public synchronized int acquire(List<Integer> preferred) throws InterruptedException {
        while (busy == concurrency) {
            wait();
        }
        for (int slot : preferred) {
            if (!taken[slot]) {
                return take(slot);
            }
        }
        for (int slot = 0; slot < taken.length; slot++) {
            if (!taken[slot]) {
                return take(slot);
            }
        }
        throw new IllegalStateException("no free slot although " + busy + " of " + taken.length + " are busy");
    }

    private int take(int slot) {
        taken[slot] = true;
        busy++;
        return slot;
    }

    public synchronized void release(int slot) {
        if (!taken[slot]) {
            throw new IllegalStateException("slot " + slot + " released twice");
        }
        taken[slot] = false;
        busy--;
        notifyAll();
    }

    /** How many jobs may run at once. */
    public int concurrency() {
        return concurrency;
    }

    public synchronized int busy() {
        return busy;
    }
}
