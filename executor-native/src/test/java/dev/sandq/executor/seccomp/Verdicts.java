package dev.sandq.executor.seccomp;

import dev.sandq.executor.seccomp.internal.SeccompFilter;

/** SECCOMP_RET_* values and syscall numbers for readable assertions. */
final class Verdicts {
    static final int ALLOW = 0x7fff0000;
    static final int KILL_PROCESS = 0x80000000;

    static final int EPERM = 1;
    static final int ENOSYS = 38;
    static final int EAFNOSUPPORT = 97;

    private Verdicts() {}

    static int errno(int errno) {
        return 0x00050000 | errno;
    }

    static int nr(String syscall) {
        int nr = SeccompFilter.resolve(syscall);
        if (nr < 0) {
            throw new AssertionError("no such syscall: " + syscall);
        }
        return nr;
    }

    static String name(int verdict) {
        return switch (verdict) {
            case ALLOW -> "ALLOW";
            case KILL_PROCESS -> "KILL_PROCESS";
            default -> (verdict & 0xffff0000) == 0x00050000 ? "ERRNO(" + (verdict & 0xffff) + ")"
                    : "0x" + Integer.toHexString(verdict);
        };
    }
}
