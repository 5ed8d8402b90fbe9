package dev.sandq.executor.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Launchers that have reported are followed to their exit, and their status files then removed. */
@Fast
@Timeout(60)
class LauncherExitsTest {
    @TempDir
    Path dir;

    @Test
    void aFollowedLaunchersStatusFileIsRemovedOnceItHasExited() throws Exception {
        Path status = Files.writeString(dir.resolve("status-1.json"), "{\"exit_code\":0}\nsandq-launcher: rmdir cgroup x: busy\n");
        LauncherExits exits = new LauncherExits();
        Process launcher = new ProcessBuilder("sleep", "0.2").start();
        exits.follow(launcher, status);
        assertTrue(Files.exists(status), "kept while the launcher runs");
        assertTrue(exits.awaitAll(5_000));
        assertFalse(Files.exists(status));
        assertEquals(0, exits.running());
        assertEquals(1, exits.cleanupFailures(), "a line after the status line is a failed clean-up");
    }

    @Test
    void aStatusLineAloneIsNoCleanupFailure() throws Exception {
        Path status = Files.writeString(dir.resolve("status-2.json"), "{\"exit_code\":0}\n");
        LauncherExits exits = new LauncherExits();
        exits.follow(new ProcessBuilder("true").start(), status);
        assertTrue(exits.awaitAll(5_000));
        assertEquals(0, exits.cleanupFailures());
        assertFalse(Files.exists(status));
    }

    @Test
    void awaitingGivesUpAtTheTimeoutWhileALauncherStillRuns() throws Exception {
        LauncherExits exits = new LauncherExits();
        Process launcher = new ProcessBuilder("sleep", "30").start();
        try {
            exits.follow(launcher, dir.resolve("never-written.json"));
            assertFalse(exits.awaitAll(100));
            assertEquals(1, exits.running());
        } finally {
            launcher.destroyForcibly().waitFor();
        }
        assertTrue(exits.awaitAll(5_000), "followed to its exit once it has been killed");
        assertEquals(0, exits.running());
    }
}
