package dev.sandq.deps;

import java.util.Objects;

/** One package a job can import: its name as the package declares it, and its version. */
public record InstalledPackage(String name, String version) {
    public InstalledPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }
}
