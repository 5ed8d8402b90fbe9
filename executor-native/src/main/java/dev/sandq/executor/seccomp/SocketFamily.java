package dev.sandq.executor.seccomp;

import java.util.List;

/**
 * One address family socket() may create. Empty {@code types} and {@code protocols} mean any;
 * otherwise only the listed socket types (low 4 bits of the type argument) or protocols.
 */
public record SocketFamily(String family, List<String> types, List<String> protocols, Origin origin) {

    public SocketFamily {
        types = List.copyOf(types);
        protocols = List.copyOf(protocols);
        if (!types.isEmpty() && !protocols.isEmpty()) {
            throw new IllegalArgumentException("socket family " + family + " restricts both types " + types
                    + " and protocols " + protocols + "; restrict one of them");
        }
    }

    @Override
    public String toString() {
        String what = !types.isEmpty() ? "types " + String.join(", ", types)
                : !protocols.isEmpty() ? "protocols " + String.join(", ", protocols) : "any type";
        return family + " (" + Symbols.value(family, "socket family") + "): " + what;
    }
}
