package dev.sandq.executor.internal.assets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One entry of a language profile's view of the host, as a launcher option. */
public record MountEntry(Kind kind, String source, String target) {

    public enum Kind {
        /** Read-only bind; the source must exist. */
        RO_BIND("--ro-bind"),
        /** Read-only bind, skipped when the source does not exist on this host. */
        RO_BIND_TRY("--ro-bind-try"),
        /** A writable device node (null, zero, urandom, ...). */
        DEV_BIND("--dev-bind"),
        /** A symlink target:link. */
        SYMLINK("--symlink");

        private final String option;

        Kind(String option) {
            this.option = option;
        }
    }

    public static MountEntry readOnly(String path) {
        return new MountEntry(Kind.RO_BIND, path, path);
    }

    public static MountEntry readOnlyIfPresent(String path) {
        return new MountEntry(Kind.RO_BIND_TRY, path, path);
    }

    /**
     * The host path as it is: a symlink recreated with the same target (which must be in the
     * view by other means), else a read-only bind skipped when the path does not exist.
     */
    public static MountEntry mirrorIfPresent(String path) {
        Path p = Path.of(path);
        if (Files.isSymbolicLink(p)) {
            try {
                return symlink(Files.readSymbolicLink(p).toString(), path);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the symlink " + path, e);
            }
        }
        return readOnlyIfPresent(path);
    }

    public static MountEntry device(String path) {
        return new MountEntry(Kind.DEV_BIND, path, path);
    }

    public static MountEntry symlink(String target, String link) {
        return new MountEntry(Kind.SYMLINK, target, link);
    }

    public List<String> launcherArguments() {
        return List.of(kind.option, source + ":" + target);
    }
}
