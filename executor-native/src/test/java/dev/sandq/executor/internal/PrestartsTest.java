package dev.sandq.executor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.SandboxLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lifecycle of the slots' prestarted sandboxes, with `sleep` standing in for a launcher. */
class PrestartsTest {
    private static final PrestartKey PYTHON = new PrestartKey(Language.PYTHON3, SandboxLimits.DEFAULTS, "");
    private static final PrestartKey NODE = new PrestartKey(Language.NODEJS, SandboxLimits.DEFAULTS, "");

    private static Prestarted waiting(PrestartKey key) throws IOException {
        return new Prestarted(key, new ProcessBuilder("sleep", "60").start(), Path.of("/status"), Path.of("/code"));
    }

    @Test
    void aMatchingSandboxIsHandedOverOnceAndTheSlotIsThenEmpty() throws Exception {
        try (Prestarts prestarts = new Prestarts()) {
            prestarts.start(0, () -> waiting(PYTHON));
            Optional<Prestarted> taken = prestarts.take(0, PYTHON);
            assertTrue(taken.isPresent());
            assertTrue(taken.get().process().isAlive());
            assertEquals(Optional.empty(), prestarts.take(0, PYTHON));
            Prestarts.stop(taken.get());
        }
    }

    @Test
    void aSandboxBuiltForAnotherJobIsStoppedNotHandedOver() throws Exception {
        try (Prestarts prestarts = new Prestarts()) {
            prestarts.start(0, () -> waiting(PYTHON));
            long pid = prestarts.launcherPids().iterator().next();
            assertEquals(Optional.empty(), prestarts.take(0, NODE));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stopped");
        }
    }

    @Test
    void aSlotHoldsOneAtATime() throws Exception {
        try (Prestarts prestarts = new Prestarts()) {
            prestarts.start(0, () -> waiting(PYTHON));
            assertThrows(IllegalStateException.class, () -> prestarts.start(0, () -> waiting(PYTHON)));
        }
    }

    @Test
    void closingStopsEveryOneAndLaterJobsStartNoMore() throws Exception {
        Prestarts prestarts = new Prestarts();
        prestarts.start(0, () -> waiting(PYTHON));
        prestarts.start(1, () -> waiting(NODE));
        var pids = prestarts.launcherPids();
        assertEquals(2, pids.size());
        prestarts.close();
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " stopped");
        }
        AtomicInteger launched = new AtomicInteger();
        prestarts.start(0, () -> {
            launched.incrementAndGet();
            return waiting(PYTHON);
        });
        assertEquals(0, launched.get(), "nothing is prestarted after close");
        assertEquals(Optional.empty(), prestarts.take(0, PYTHON));
    }

    @Test
    void aPrestartThatFailedToLaunchLeavesTheSlotEmpty() throws Exception {
        try (Prestarts prestarts = new Prestarts()) {
            prestarts.start(0, () -> {
                throw new IOException("no launcher");
            });
            assertEquals(Optional.empty(), prestarts.take(0, PYTHON));
        }
    }
}
