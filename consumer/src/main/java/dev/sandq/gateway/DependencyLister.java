package dev.sandq.gateway;

import dev.sandq.deps.InstalledPackage;
import dev.sandq.executor.Language;
import java.io.IOException;
import java.util.List;

/**
 * What packages jobs of a language can import, for {@code /v1/sandbox/dependencies}: what
 * {@code sandq deps install} installed, i.e. {@code Dependencies.forRoot(root)::list}
 * (package dev.sandq.deps), which `sandq gateway` and the tests use.
 */
@FunctionalInterface
public interface DependencyLister {
    /** Sorted by name; empty when nothing is installed. */
    List<InstalledPackage> list(Language language) throws IOException;
}
