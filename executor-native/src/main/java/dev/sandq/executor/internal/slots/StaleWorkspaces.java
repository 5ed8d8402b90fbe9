package dev.sandq.executor.internal.slots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workspaces of workers that died without closing theirs (SIGKILL, OOM kill, power loss). A
 * workspace is named after its worker: {@code PREFIX-PIDNS-PID-RANDOM}, where PIDNS is the inode
 * of the worker's PID namespace. One is stale when its PID namespace is this worker's and no
 * process with its PID is alive; a live worker's directory is never touched (a reused PID only
 * keeps a stale one longer), nor one from another PID namespace (another container sharing the
 * directory), nor one this user does not own. In the library views of privilege mode userns a
 * dead worker leaves ~260 MiB behind, so they are removed when the next worker starts.
 */
final class StaleWorkspaces {
    private static final Logger LOG = LoggerFactory.getLogger(StaleWorkspaces.class);

    private StaleWorkspaces() {
    }

    /** The name prefix of a workspace of this process with {@code prefix} ("sandq", "sandq-slots"). */
    static String namePrefix(String prefix) {
        return prefix + "-" + pidNamespace() + "-" + ProcessHandle.current().pid() + "-";
    }

    /** Removes the stale workspaces named {@code prefix-...} in {@code parent}; returns what it removed. */
    static List<Path> remove(Path parent, String prefix) {
        List<Path> removed = new ArrayList<>();
        Pattern name = Pattern.compile(Pattern.quote(prefix) + "-(\\d+)-(\\d+)-\\d+");
        long ourNamespace = pidNamespace();
        String us = System.getProperty("user.name");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, prefix + "-*")) {
            for (Path dir : entries) {
                Matcher m = name.matcher(dir.getFileName().toString());
                if (!m.matches() || Long.parseLong(m.group(1)) != ourNamespace
                        || ProcessHandle.of(Long.parseLong(m.group(2))).map(ProcessHandle::isAlive).orElse(false)
                        || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        || !us.equals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName())) {
                    continue;
                }
                try {
                    deleteTree(dir);
                    removed.add(dir);
                } catch (IOException | UncheckedIOException e) {
                    LOG.warn("cannot remove the stale sandbox workspace {}: {}", dir, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot look for stale sandbox workspaces in {}: {}", parent, e.getMessage());
        }
        if (!removed.isEmpty()) {
            LOG.info("removed {} workspace(s) of sandq workers that died without cleaning up: {}", removed.size(), removed);
        }
        return removed;
    }

    /** The inode of this process's PID namespace ({@code pid:[4026531836]}). */
    static long pidNamespace() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read this process's PID namespace from /proc/self/ns/pid", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
