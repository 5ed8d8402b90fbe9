package dev.sandq.executor.seccomp;

import dev.sandq.executor.seccomp.internal.Libseccomp;

/** What the filter does with a syscall: allow it, fail it with an errno, or kill the process. */
public record SeccompAction(Kind kind, int errno) {

    public enum Kind { ALLOW, ERRNO, KILL_PROCESS }

    public SeccompAction {
        if (kind == Kind.ERRNO ? errno <= 0 || errno > 4095 : errno != 0) {
            throw new IllegalArgumentException("errno " + errno + " does not fit action " + kind);
        }
    }

    public static SeccompAction allow() {
        return new SeccompAction(Kind.ALLOW, 0);
    }

    public static SeccompAction killProcess() {
        return new SeccompAction(Kind.KILL_PROCESS, 0);
    }

    public static SeccompAction errno(int errno) {
        return new SeccompAction(Kind.ERRNO, errno);
    }

    /** The SCMP_ACT_* value libseccomp expects. */
    int libseccompValue() {
        return switch (kind) {
            case ALLOW -> Libseccomp.SCMP_ACT_ALLOW;
            case KILL_PROCESS -> Libseccomp.SCMP_ACT_KILL_PROCESS;
            case ERRNO -> Libseccomp.SCMP_ACT_ERRNO_BASE | errno;
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ALLOW -> "allow";
            case KILL_PROCESS -> "kill process (SIGSYS)";
            case ERRNO -> "errno " + Symbols.errnoName(errno);
        };
    }
}
