package dev.sandq.executor.seccomp;

import java.util.List;

/**
 * socket(): the families it may create; other families fail with {@code familyErrno}, other
 * types or protocols of an allowed family with {@code typeErrno}.
 */
public record SocketPolicy(int familyErrno, int typeErrno, List<SocketFamily> families) {

    public SocketPolicy {
        families = List.copyOf(families);
        if (families.stream().map(SocketFamily::family).distinct().count() != families.size()) {
            throw new IllegalArgumentException("a socket family is listed twice: " + families);
        }
    }
}
