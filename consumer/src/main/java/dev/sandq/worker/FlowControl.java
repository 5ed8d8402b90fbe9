package dev.sandq.worker;

import java.time.Instant;
import java.util.Optional;

/**
 * Pauses fetching while the worker cannot take more jobs — it is stopping, the sandbox circuit is
 * open, or the jobs it holds fill the slots and the prefetch — and resumes when it can. Poll()
 * keeps running while paused, so a long job never exceeds max.poll.interval.ms.
 */
final class FlowControl {
    private final JobSource jobs;
    private final int capacity;
    private volatile int pausedPartitions;

    /** @param capacity jobs the worker holds at most before it pauses: slots plus prefetch */
    FlowControl(JobSource jobs, int capacity) {
        this.jobs = jobs;
        this.capacity = capacity;
    }

    /**
     * Poll thread, once per turn of the loop.
     *
     * @param circuitOpenUntil while the sandbox circuit is open, when it lets a job through again
     */
    void update(boolean stopping, Optional<Instant> circuitOpenUntil, int heldJobs) {
        if (circuitOpenUntil.isPresent()) {
            jobs.pauseUntil(circuitOpenUntil.get());
        } else if (stopping || heldJobs >= capacity) {
            jobs.pause();
        } else {
            jobs.resume();
        }
        pausedPartitions = jobs.pausedPartitions();
    }

    /** Any thread (the sandq.partitions.paused gauge). */
    int pausedPartitions() {
        return pausedPartitions;
    }
}
