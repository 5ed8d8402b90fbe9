package dev.sandq.executor.internal.warm;

import dev.sandq.executor.Job;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the next Python sandboxes should come from the zygote that preloads Jinja2
 * ({@link PythonZygote#PRELOAD_FOR_TEMPLATES}): for {@link #WINDOW} jobs after one that was
 * expected to import it ({@link Job#expectedImports()}: a template job), whichever slot ran them
 * (the next template may come to any slot). Only a guess, as a sandbox is built before its job is
 * known: either zygote runs any job, a template job from the other one importing Jinja2 itself
 * (tens of milliseconds of CPU), a code job from the one with Jinja2 paying for its memory (about
 * 2 ms).
 */
final class TemplatesExpected {
    /** How many jobs without Jinja2 it takes to stop expecting templates. */
    static final int WINDOW = 16;

    private final AtomicInteger jobsLeft = new AtomicInteger();

    /** Whether {@code job} is expected to import Jinja2. */
    static boolean importsJinja2(Job job) {
        return job.expectedImports().contains("jinja2");
    }

    /** {@code job} ran. */
    void ran(Job job) {
        jobsLeft.updateAndGet(left -> importsJinja2(job) ? WINDOW : Math.max(0, left - 1));
    }

    /** Whether a template job is expected among the next ones. */
    boolean expected() {
        return jobsLeft.get() > 0;
    }
}
