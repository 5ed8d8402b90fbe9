package dev.sandq.executor.internal.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.testing.Fast;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lifecycle of the slots' prestarted sandboxes, with `sleep` standing in for a launcher. */
@Fast
@Timeout(60)
class PrestartedSandboxesTest {
    private static final PrestartKey PYTHON = new PrestartKey(Language.PYTHON3, SandboxLimits.DEFAULTS, "", false);
    private static final PrestartKey NODE = new PrestartKey(Language.NODEJS, SandboxLimits.DEFAULTS, "", false);

    private static Prestarted waiting() throws IOException {
        return new Prestarted(new ProcessBuilder("sleep", "60").start(), Path.of("/status"), Path.of("/code"),
                java.util.Optional.empty());
    }

    @Test
    void aMatchingSandboxIsHandedOverOnceAndTheSlotIsThenEmpty() throws Exception {
        try (PrestartedSandboxes prestarts = new PrestartedSandboxes()) {
            prestarts.start(0, PYTHON, PrestartedSandboxesTest::waiting);
            Optional<Prestarted> taken = prestarts.take(0, PYTHON);
            assertTrue(taken.isPresent());
            assertTrue(taken.get().process().isAlive());
            assertEquals(Optional.empty(), prestarts.take(0, PYTHON));
            PrestartedSandboxes.stop(taken.get());
        }
    }

    @Test
    void aSandboxBuiltForAnotherJobIsStoppedNotHandedOver() throws Exception {
        try (PrestartedSandboxes prestarts = new PrestartedSandboxes()) {
            prestarts.start(0, PYTHON, PrestartedSandboxesTest::waiting);
            long pid = prestarts.launcherPids().iterator().next();
            assertEquals(Optional.empty(), prestarts.take(0, NODE));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stopped");
        }
    }

    @Test
    void aSlotHoldsOneAtATime() throws Exception {
        try (PrestartedSandboxes prestarts = new PrestartedSandboxes()) {
            prestarts.start(0, PYTHON, PrestartedSandboxesTest::waiting);
            assertThrows(IllegalStateException.class, () -> prestarts.start(0, PYTHON, PrestartedSandboxesTest::waiting));
        }
    }

    @Test
    void closingStopsEveryOneAndLaterJobsStartNoMore() throws Exception {
        PrestartedSandboxes prestarts = new PrestartedSandboxes();
        prestarts.start(0, PYTHON, PrestartedSandboxesTest::waiting);
        prestarts.start(1, NODE, PrestartedSandboxesTest::waiting);
        var pids = prestarts.launcherPids();
        assertEquals(2, pids.size());
        prestarts.close();
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " stopped");
        }
        AtomicInteger launched = new AtomicInteger();
        prestarts.start(0, PYTHON, () -> {
            launched.incrementAndGet();
            return waiting();
        });
        assertEquals(0, launched.get(), "nothing is prestarted after close");
        assertEquals(Optional.empty(), prestarts.take(0, PYTHON));
    }

    @Test
    void theSlotsOfAKeyAreThoseWhoseSandboxIsBuiltForIt() throws Exception {
        try (PrestartedSandboxes prestarts = new PrestartedSandboxes()) {
            prestarts.start(0, PYTHON, PrestartedSandboxesTest::waiting);
            prestarts.start(1, NODE, PrestartedSandboxesTest::waiting);
            prestarts.start(2, PYTHON, PrestartedSandboxesTest::waiting);
            assertEquals(Set.of(0, 2), Set.copyOf(prestarts.slotsFor(PYTHON)));
            assertEquals(List.of(1), prestarts.slotsFor(NODE));
            prestarts.take(0, PYTHON).ifPresent(PrestartedSandboxes::stop);
            assertEquals(List.of(2), prestarts.slotsFor(PYTHON), "a slot whose sandbox is taken has none");
        }
    }

    @Test
    void aPrestartThatFailedToLaunchLeavesTheSlotEmpty() throws Exception {
        try (PrestartedSandboxes prestarts = new PrestartedSandboxes()) {
            prestarts.start(0, PYTHON, () -> {
                throw new IOException("no launcher");
            });
            assertEquals(Optional.empty(), prestarts.take(0, PYTHON));
        }
    }
}
