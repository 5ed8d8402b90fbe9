package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Slow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A result's {@link SandboxTimeline}: slot acquired, sandbox ready, started, exited and result read,
 * in that order, all within the call of {@link Sandbox#run}, for a sandbox built for the job and for
 * a prestarted one (whose readiness is the job's hand-over).
 */
@Slow
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SandboxTimelineTest {
    private static final long MS = 1_000_000L;
    private static Sandbox prestarting;
    private static Sandbox cold;

    @BeforeAll
    static void start() throws Exception {
        prestarting = LocalSandbox.create(SandboxConfig.builder().slots(1).prestart(true).build());
        cold = LocalSandbox.create(SandboxConfig.builder().slots(1).prestart(false).build());
    }

    @AfterAll
    static void stop() {
        prestarting.close();
        cold.close();
    }

    private static void assertInOrderWithin(Sandbox sandbox, Job job) throws InterruptedException {
        long before = System.nanoTime();
        Result r = sandbox.run(job);
        long after = System.nanoTime();
        SandboxTimeline t = r.timeline();
        assertEquals(Status.OK, r.status(), r.toString());
        assertAll(
                () -> assertTrue(before <= t.slotAcquired(), "acquired in the call: " + before + " " + t),
                () -> assertTrue(t.slotAcquired() <= t.sandboxReady(), "acquired <= ready: " + t),
                () -> assertTrue(t.sandboxReady() <= t.started(), "ready <= started: " + t),
                // the launcher takes its instants when it wakes up to them: late on a busy host
                () -> assertTrue(t.started() + 50 * MS <= t.exited(), "the job slept 100 ms: " + t),
                () -> assertTrue(t.exited() <= t.resultRead(), "exited <= result read: " + t),
                () -> assertTrue(t.resultRead() <= after, "read in the call: " + t + " " + after));
    }

    @Test
    void aJobInASandboxBuiltForItPassesTheStagesInOrder() throws Exception {
        assertInOrderWithin(cold, Job.of(Language.PYTHON3, "import time\ntime.sleep(0.1)\n"));
    }

    @Test
    void aJobInAPrestartedSandboxPassesTheStagesInOrder() throws Exception {
        Job job = Job.of(Language.PYTHON3, "import time\ntime.sleep(0.1)\n");
        prestarting.run(job); // leaves the slot a sandbox prestarted for a job like this one
        SandboxStarts before = prestarting.starts();
        assertInOrderWithin(prestarting, job);
        assertEquals(before.prestarted() + 1, prestarting.starts().prestarted(), "it ran prestarted");
    }

    @Test
    void aNodeJobPassesTheStagesInOrder() throws Exception {
        assertInOrderWithin(cold, Job.of(Language.NODEJS, "setTimeout(() => {}, 100);\n"));
    }
}
