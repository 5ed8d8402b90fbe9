package dev.sandq.executor.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** N slots, each used by one job at a time. A slot's index picks its uid and its directory. */
final class SlotPool {
    private final BlockingQueue<Integer> free;
    private final int size;

    SlotPool(int size) {
        this.size = size;
        this.free = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            free.add(i);
        }
    }

    int acquire() throws InterruptedException {
        return free.take();
    }

    void release(int slot) {
        if (!free.offer(slot)) {
            throw new IllegalStateException("slot " + slot + " released twice");
        }
    }

    int size() {
        return size;
    }

    int busy() {
        return size - free.size();
    }
}
