package dev.sandq.worker;

import dev.sandq.executor.Job;
import dev.sandq.executor.Result;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.Status;
import dev.sandq.executor.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fast stand-in sandbox for worker-logic tests (never for end-to-end tests). The code is a
 * tiny command: "sleep MS" waits MS ms then prints "slept"; "big N" prints N bytes; anything else
 * is echoed to stdout. While {@link #broken} is set, every run is an internal_error.
 */
final class FakeSandbox implements Sandbox {
    final AtomicBoolean broken = new AtomicBoolean();
    /** When set, "sleep" jobs return at once. */
    final AtomicBoolean noSleeping = new AtomicBoolean();
    final AtomicInteger runs = new AtomicInteger();
    /** When each run began ({@link System#nanoTime()}), in order. */
    final List<Long> startedAt = Collections.synchronizedList(new ArrayList<>());
    private final int slots;
    private final Semaphore free;

    FakeSandbox(int slots) {
        this.slots = slots;
        this.free = new Semaphore(slots);
    }

    @Override
    public Result run(Job job) throws InterruptedException {
        free.acquire();
        try {
            startedAt.add(System.nanoTime());
            runs.incrementAndGet();
            if (broken.get()) {
                return Result.notRun(Status.INTERNAL_ERROR, "The launcher is missing (fake).");
            }
            String code = job.code().strip();
            if (code.startsWith("sleep ")) {
                long ms = Long.parseLong(code.substring(6).trim());
                if (!noSleeping.get()) {
                    Thread.sleep(ms); // stands for a job that runs this long
                }
                return ok("slept\n", ms);
            }
            if (code.startsWith("big ")) {
                return ok("x".repeat(Integer.parseInt(code.substring(4).trim())), 1);
            }
            if (code.equals("return the files")) {
                // stands for a job that copies its input files to its output directory
                return ok("", 1).withOutputs(new dev.sandq.executor.OutputFiles(job.files().stream()
                        .map(f -> new dev.sandq.executor.OutputFile(f.path(), f.content(), "text/plain")).toList(),
                        false));
            }
            return ok(code + "\n", 1);
        } finally {
            free.release();
        }
    }

    private static Result ok(String stdout, long ms) {
        return new Result(Status.OK, 0, null, stdout, "", false, false, null, new Usage(ms, ms, 1000));
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public int busySlots() {
        return slots - free.availablePermits();
    }

    @Override
    public void close() {
    }
}
