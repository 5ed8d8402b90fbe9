package dev.sandq.executor.seccomp;

import java.util.Map;

/**
 * The constant names policy files may use (x86_64 Linux values), and numbers: decimal or
 * 0x-hex, joined with '|'.
 */
final class Symbols {

    private static final Map<String, Long> CONSTANTS = Map.ofEntries(
            Map.entry("CLONE_NEWTIME", 0x00000080L),
            Map.entry("CLONE_NEWNS", 0x00020000L),
            Map.entry("CLONE_NEWCGROUP", 0x02000000L),
            Map.entry("CLONE_NEWUTS", 0x04000000L),
            Map.entry("CLONE_NEWIPC", 0x08000000L),
            Map.entry("CLONE_NEWUSER", 0x10000000L),
            Map.entry("CLONE_NEWPID", 0x20000000L),
            Map.entry("CLONE_NEWNET", 0x40000000L),
            Map.entry("TIOCSTI", 0x5412L),
            Map.entry("AF_UNIX", 1L),
            Map.entry("AF_INET", 2L),
            Map.entry("AF_INET6", 10L),
            Map.entry("AF_NETLINK", 16L),
            Map.entry("AF_PACKET", 17L),
            Map.entry("AF_VSOCK", 40L),
            Map.entry("SOCK_STREAM", 1L),
            Map.entry("SOCK_DGRAM", 2L),
            Map.entry("SOCK_RAW", 3L),
            Map.entry("SOCK_SEQPACKET", 5L),
            Map.entry("NETLINK_ROUTE", 0L));

    private static final Map<String, Integer> ERRNOS = Map.of(
            "EPERM", 1, "ENOENT", 2, "EACCES", 13, "EINVAL", 22, "ENOTTY", 25,
            "ENOSYS", 38, "EPROTONOSUPPORT", 93, "EOPNOTSUPP", 95, "EAFNOSUPPORT", 97);

    private Symbols() {}

    /** The value of an expression such as {@code CLONE_NEWNS|CLONE_NEWPID} or {@code 0xffffffff}. */
    static long value(String expression, String what) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        long result = 0;
        for (String part : expression.split("\\|")) {
            result |= single(part.strip(), expression, what);
        }
        return result;
    }

    private static long single(String token, String expression, String what) {
        Long constant = CONSTANTS.get(token);
        if (constant != null) {
            return constant;
        }
        try {
            return token.startsWith("0x") ? Long.parseUnsignedLong(token.substring(2), 16) : Long.parseUnsignedLong(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + expression + "': unknown constant or number '" + token + "'");
        }
    }

    static int errno(String name, String what) {
        Integer errno = ERRNOS.get(name);
        if (errno == null) {
            throw new IllegalArgumentException(what + ": unknown errno '" + name + "' (known: "
                    + ERRNOS.keySet().stream().sorted().toList() + ")");
        }
        return errno;
    }

    static String errnoName(int errno) {
        return ERRNOS.entrySet().stream().filter(e -> e.getValue() == errno).map(Map.Entry::getKey)
                .findFirst().orElse(Integer.toString(errno));
    }
}
