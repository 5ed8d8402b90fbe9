package dev.sandq.executor.internal.warm;

import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.internal.launch.Launch;
import dev.sandq.executor.internal.launch.LauncherBinary;
import dev.sandq.executor.internal.launch.PrestartedLaunch;
import dev.sandq.executor.internal.slots.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link PythonZygote} for the prestarted Python launches, and routes them through it.
 * It is replaced when it has died, when the launches' key (the packages' generation) changes, and
 * after {@link #RECYCLE_AFTER} launches: every job of a zygote starts from its memory, with the
 * same address-space layout and string hash seed, and this bounds how many share them. If a
 * zygote cannot be started, launches go on by execve, and no other zygote is tried.
 */
final class PythonZygotes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PythonZygotes.class);
    static final long RECYCLE_AFTER = 1000;

    private final Path library;
    private final Path dir;
    private PythonZygote current;
    private long launches;
    private boolean failed;

    PythonZygotes(Path library, Path dir) {
        this.library = library;
        this.dir = dir;
    }

    /**
     * The zygotes of Python's prestarted sandboxes, when {@code wanted} and this worker can have
     * them: they need the root mode and the launcher's library beside {@code launcher}. Empty when
     * Python's prestarted sandboxes start their interpreter by execve.
     */
    static Optional<PythonZygotes> ifPossible(boolean wanted, PrivilegeMode mode, Path launcher, Workspace workspace)
            throws IOException {
        if (!wanted) {
            return Optional.empty();
        }
        if (mode != PrivilegeMode.ROOT) {
            LOG.info("Python's prestarted sandboxes start their interpreter by execve: a zygote needs the root mode");
            return Optional.empty();
        }
        Optional<Path> library = LauncherBinary.library(launcher);
        if (library.isEmpty()) {
            LOG.warn("Python's prestarted sandboxes start their interpreter by execve: no {} beside {}",
                    LauncherBinary.LIBRARY_NAME, launcher);
            return Optional.empty();
        }
        return Optional.of(new PythonZygotes(library.get(), Files.createDirectories(workspace.file("zygotes"))));
    }

    /** {@code launch} (a prestarted Python launch) through a zygote, or as it is when there is none. */
    synchronized Launch route(PrestartedLaunch launch, String key) {
        if (failed) {
            return launch;
        }
        if (current == null || !current.alive() || !current.key().equals(key) || launches >= RECYCLE_AFTER) {
            if (current != null) {
                if (!current.alive()) {
                    LOG.warn("the Python zygote had ended; starting another");
                }
                current.close();
                current = null;
            }
            try {
                current = PythonZygote.start(launch, library, dir, key);
                launches = 0;
            } catch (IOException e) {
                failed = true;
                LOG.warn("cannot start the Python zygote; Python's prestarted sandboxes start their "
                        + "interpreter by execve from now on: {}", e.getMessage());
                return launch;
            }
        }
        launches++;
        return launch.viaZygote(current.socket());
    }

    /** The running zygote's pid, if there is one. */
    synchronized Optional<Long> pid() {
        return current == null ? Optional.empty() : Optional.of(current.pid());
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
