package dev.sandq.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the operator's installed packages live on the host, and where a job sees them.
 *
 * <pre>
 * ROOT/python/current            -> generations/ID   (a relative symlink, switched atomically)
 * ROOT/python/generations/ID/    pip --target tree: importable modules and *.dist-info
 * ROOT/node/current              -> generations/ID
 * ROOT/node/generations/ID/      package.json and node_modules/
 * </pre>
 *
 * Inside the sandbox, the current Python tree is bound read-only at {@link #PYTHON_INSIDE} (on
 * {@code PYTHONPATH}); the current {@code node_modules} is bound read-only at {@code /node_modules},
 * which Node's resolution of {@code require} and {@code import} reaches from the job's directory.
 * Each job binds whatever {@code current} names when it starts, so a job never sees a tree
 * being installed. The symlinks are relative because the launcher resolves them beneath the
 * host root it has moved aside.
 */
public final class PackagesLayout {
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/sandq/packages");
    /** The Python tree inside the sandbox (no "sandq" in it: a job's environment names nothing of the worker's). */
    public static final String PYTHON_INSIDE = "/opt/packages/python";
    /** The node_modules tree inside the sandbox. */
    public static final String NODE_MODULES_INSIDE = "/node_modules";

    private PackagesLayout() {
    }

    /** {@code ROOT/python} or {@code ROOT/node}: one language's generations and its current symlink. */
    public static Path languageDir(Path root, Language language) {
        return root.resolve(switch (language) {
            case PYTHON3 -> "python";
            case NODEJS -> "node";
        });
    }

    /** Where a language's installed packages are bound inside the sandbox. */
    public static String inside(Language language) {
        return language == Language.NODEJS ? NODE_MODULES_INSIDE : PYTHON_INSIDE;
    }

    /** The symlink that names the generation jobs use. */
    public static Path current(Path root, Language language) {
        return languageDir(root, language).resolve("current");
    }

    /** What is bound into the sandbox for a language (through the current symlink). */
    public static Path importRoot(Path root, Language language) {
        Path current = current(root, language);
        return language == Language.NODEJS ? current.resolve("node_modules") : current;
    }

    /**
     * The root with symlinks above it resolved when it exists (the launcher resolves absolute
     * symlinks against the wrong root), else as given.
     */
    public static Path hostRoot(Path root) {
        try {
            return Files.exists(root) ? root.toRealPath() : root;
        } catch (IOException e) {
            return root;
        }
    }

    /** @throws IllegalArgumentException naming the root when it cannot be a packages root */
    public static void validateRoot(Path root) {
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("the packages root must be an absolute path, got " + root);
        }
        if (root.toString().contains(":")) {
            throw new IllegalArgumentException("the packages root must not contain ':', got " + root);
        }
    }
}
