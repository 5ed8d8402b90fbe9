package dev.sandq.executor.internal.warm;

import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.internal.launch.Launch;
import dev.sandq.executor.internal.launch.LauncherBinary;
import dev.sandq.executor.internal.launch.PrestartedLaunch;
import dev.sandq.executor.internal.slots.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link PythonZygote} for each kind of prestarted Python launch (the packages' generation;
 * whether the job has the network: such a launch's environment has the proxy variables, and a
 * zygote serves only launches of its own environment; whether Jinja2 is preloaded for the
 * template jobs expected), and routes the launches through them. A
 * zygote is replaced when it has died, when its kind's packages' generation changes, and after
 * {@link #RECYCLE_AFTER} launches: every job of a zygote starts from its memory, with the same
 * address-space layout and string hash seed, and this bounds how many share them. If a zygote
 * cannot be started, that kind's launches go on by execve, and no other zygote of it is tried.
 */
final class PythonZygotes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PythonZygotes.class);
    static final long RECYCLE_AFTER = 1000;

    /**
     * What the launches one zygote serves share beyond their command line.
     *
     * @param packagesTree the packages' generation the zygote's interpreter sees
     * @param templates    whether the zygote preloads Jinja2 (template jobs are expected)
     */
    record Kind(String packagesTree, boolean network, boolean templates) {
        /** The kinds whose zygotes live side by side; one of each at most. */
        Family family() {
            return new Family(network, templates);
        }

        @Override
        public String toString() {
            return (network ? "with the network, " : "") + (templates ? "Jinja2 preloaded, " : "") + "packages "
                    + packagesTree;
        }
    }

    /** The launches of a family share a zygote, until their packages' generation changes. */
    record Family(boolean network, boolean templates) {
    }

    /** A running zygote and how many launches it has served. */
    private static final class Running {
        final PythonZygote zygote;
        final Kind kind;
        long launches;

        Running(PythonZygote zygote, Kind kind) {
            this.zygote = zygote;
            this.kind = kind;
        }
    }

    private final Path library;
    private final Path dir;
    private final List<String> precompiled;
    /** By {@link Kind#family()}: with the network and without, for templates and not, side by side. */
    private final Map<Family, Running> running = new HashMap<>();
    /** The families whose zygote could not be started. */
    private final Set<Family> failed = new HashSet<>();

    PythonZygotes(Path library, Path dir, List<String> precompiled) {
        this.library = library;
        this.dir = dir;
        this.precompiled = List.copyOf(precompiled);
    }

    /**
     * The zygotes of Python's prestarted sandboxes, when {@code wanted} and this worker can have
     * them: they need the root mode and the launcher's library beside {@code launcher}. Empty when
     * Python's prestarted sandboxes start their interpreter by execve. Each zygote compiles the
     * {@code precompiled} programs when it starts.
     */
    static Optional<PythonZygotes> ifPossible(boolean wanted, List<String> precompiled, PrivilegeMode mode,
                                              Path launcher, Workspace workspace) throws IOException {
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
        return Optional.of(new PythonZygotes(library.get(), Files.createDirectories(workspace.file("zygotes")),
                precompiled));
    }

    /** {@code launch} (a prestarted Python launch of {@code kind}) through its kind's zygote, or as it is when there is none. */
    synchronized Launch route(PrestartedLaunch launch, Kind kind) {
        if (launch.network() != kind.network()) {
            throw new IllegalArgumentException("a launch " + (launch.network() ? "with" : "without")
                    + " the network routed as one of kind " + kind);
        }
        if (failed.contains(kind.family())) {
            return launch;
        }
        Running current = running.get(kind.family());
        if (current == null || !current.zygote.alive() || !current.kind.equals(kind) || current.launches >= RECYCLE_AFTER) {
            if (current != null) {
                if (!current.zygote.alive()) {
                    LOG.warn("the Python zygote ({}) had ended; starting another", current.kind);
                }
                current.zygote.close();
                running.remove(kind.family());
            }
            try {
                current = new Running(PythonZygote.start(launch, library, dir, kind.templates(), precompiled), kind);
                running.put(kind.family(), current);
            } catch (IOException e) {
                failed.add(kind.family());
                LOG.warn("cannot start the Python zygote ({}); those of Python's prestarted sandboxes start their "
                        + "interpreter by execve from now on: {}", kind, e.getMessage());
                return launch;
            }
        }
        current.launches++;
        return launch.viaZygote(current.zygote.socket());
    }

    /** The running zygotes' pids (not those that died and are not replaced yet). */
    synchronized Set<Long> pids() {
        Set<Long> pids = new TreeSet<>();
        running.values().stream().filter(r -> r.zygote.alive()).forEach(r -> pids.add(r.zygote.pid()));
        return Set.copyOf(pids);
    }

    @Override
    public synchronized void close() {
        running.values().forEach(r -> r.zygote.close());
        running.clear();
    }
}
