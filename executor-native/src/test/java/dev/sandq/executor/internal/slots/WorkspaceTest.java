package dev.sandq.executor.internal.slots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Fast
@Timeout(60)
class WorkspaceTest {
    @TempDir
    Path parent;
    @TempDir
    Path slotsParent;

    @Test
    void aWorkspaceOfADeadWorkerIsRemovedWhenTheNextOneStartsAndNothingElseIs() throws Exception {
        long ns = StaleWorkspaces.pidNamespace();
        long dead = deadPid();
        long alive = ProcessHandle.current().pid();
        Path stale = Files.createDirectories(parent.resolve("sandq-" + ns + "-" + dead + "-123").resolve("libraries-python3"));
        Path staleSlots = Files.createDirectories(slotsParent.resolve("sandq-slots-" + ns + "-" + dead + "-456").resolve("slot-0"));
        Path live = Files.createDirectory(parent.resolve("sandq-" + ns + "-" + alive + "-789"));
        Path otherNamespace = Files.createDirectory(parent.resolve("sandq-" + (ns + 1) + "-" + dead + "-1"));
        Path notAWorkspace = Files.createDirectory(parent.resolve("sandq-ops-kafka42"));

        try (Workspace workspace = new Workspace(parent, Optional.of(slotsParent), 2)) {
            assertFalse(Files.exists(stale.getParent()), "the dead worker's workspace is gone");
            assertFalse(Files.exists(staleSlots.getParent()), "and its slot directory");
            assertTrue(Files.isDirectory(live), "a live worker's workspace stays");
            assertTrue(Files.isDirectory(otherNamespace), "one from another PID namespace stays");
            assertTrue(Files.isDirectory(notAWorkspace), "other sandq directories stay");
            assertTrue(workspace.root().getFileName().toString().startsWith("sandq-" + ns + "-" + alive + "-"));
            assertEquals(slotsParent, workspace.slotDir(1).getParent().getParent());
            assertTrue(Files.isDirectory(workspace.slotDir(1)));
        }
        try (var left = Files.list(slotsParent)) {
            assertEquals(0, left.count(), "close removes the slot directories");
        }
        try (var left = Files.list(parent)) {
            assertEquals(3, left.count(), "close removes the workspace; the three others remain");
        }
    }

    @Test
    void withoutATmpfsTheSlotsLiveInTheWorkspace() throws Exception {
        try (Workspace workspace = new Workspace(parent, Optional.empty(), 1)) {
            assertEquals(workspace.root(), workspace.slotDir(0).getParent());
        }
        try (var left = Files.list(parent)) {
            assertEquals(0, left.count());
        }
    }

    /** The PID of a process that has exited (and been reaped). */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        long pid = p.pid();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        return pid;
    }
}
