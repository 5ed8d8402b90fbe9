package dev.sandq.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository's files, from the consumer module's directory (where Maven runs tests). */
public final class OpsFiles {
    private OpsFiles() {
    }

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("ops/install-deps"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root (ops/install-deps) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }
}
