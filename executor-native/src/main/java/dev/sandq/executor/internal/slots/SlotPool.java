package dev.sandq.executor.internal.slots;

import java.util.Set;

/**
 * N slots, each used by one job at a time. A slot's index picks its uid and its directory.
 * A job may prefer some slots (those holding a sandbox prestarted for it): it gets one of them
 * when one is free, and any free slot otherwise.
 */
public final class SlotPool {
    private final boolean[] taken;
    private int busy;

    public SlotPool(int size) {
        this.taken = new boolean[size];
    }

    public synchronized int acquire(Set<Integer> preferred) throws InterruptedException {
        while (busy == taken.length) {
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

    public int size() {
        return taken.length;
    }

    public synchronized int busy() {
        return busy;
    }
}
