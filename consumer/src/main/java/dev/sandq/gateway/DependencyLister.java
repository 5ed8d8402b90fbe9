package dev.sandq.gateway;

import dev.sandq.executor.Language;
import java.io.IOException;
import java.util.List;

/**
 * What packages jobs of a language can import, for {@code /v1/sandbox/dependencies}. The
 * dependency installer ({@code sandq deps}, package dev.sandq.deps) is the real source; until it
 * is wired in, {@link PackagesDirectoryLister} reads the directory it installs into.
 */
@FunctionalInterface
public interface DependencyLister {
    /** Sorted by name; empty when nothing is installed. */
    List<InstalledPackage> list(Language language) throws IOException;
}
