package dev.sandq.deps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Installs what one language's dependency file lists into an empty tree. */
interface Installer {
    /**
     * @param source the operator's file (exists)
     * @param tree   an empty directory, not yet visible to jobs
     * @param output where the tool's output lines go
     */
    void install(Path source, Path tree, Consumer<String> output)
            throws DependencyInstallException, IOException, InterruptedException;

    /** What a job can import from a tree this installer filled. */
    List<InstalledPackage> list(Path tree) throws IOException;
}
