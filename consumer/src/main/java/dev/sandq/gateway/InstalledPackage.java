package dev.sandq.gateway;

import java.util.Objects;

/** One package a worker can import, as DifySandbox lists it: {@code {"name", "version"}}. */
public record InstalledPackage(String name, String version) {
    public InstalledPackage {
        Objects.requireNonNull(name, "name");
        version = version == null ? "" : version;
    }
}
