package dev.sandq.executor.seccomp;

import java.util.Map;

/** The readable form of a policy, as {@code sandq policy show LANGUAGE} prints it. */
final class PolicyDescription {

    private PolicyDescription() {}

    static String of(SeccompPolicy p) {
        StringBuilder s = new StringBuilder();
        s.append("seccomp policy for ").append(p.language().wireName())
                .append(", network ").append(p.network() ? "on" : "off").append('\n');
        s.append("default action: ").append(p.defaultAction()).append(" -> job status syscall_denied\n");
        s.append("architecture: x86_64 only; i386 (int 0x80) and x32 (syscall number bit 0x40000000)")
                .append(" -> kill process\n");

        s.append("\nallowed, any arguments (").append(p.allowed().size()).append("):\n");
        for (Map.Entry<String, Origin> e : p.allowed().entrySet()) {
            s.append("  ").append(e.getKey()).append(marker(e.getValue())).append('\n');
        }

        s.append("\nanswered with an errno (").append(p.errno().size()).append("):\n");
        p.errno().forEach((syscall, action) -> s.append("  ").append(syscall).append(": ").append(action).append('\n'));

        s.append("\nargument rules (").append(p.rules().size()).append("):\n");
        for (ArgRule rule : p.rules()) {
            s.append("  ").append(rule).append(marker(rule.origin()));
            if (!rule.why().isEmpty()) {
                s.append("\n      ").append(rule.why());
            }
            s.append('\n');
        }

        s.append("\nsocket families:\n");
        for (SocketFamily f : p.socket().families()) {
            s.append("  ").append(f).append(marker(f.origin())).append('\n');
        }
        s.append("  any other family: errno ").append(Symbols.errnoName(p.socket().familyErrno()))
                .append("; another type or protocol of a listed family: errno ")
                .append(Symbols.errnoName(p.socket().typeErrno())).append('\n');

        s.append("\noperator extras: ")
                .append(p.operatorExtras().isEmpty() ? "none" : String.join(", ", p.operatorExtras())).append('\n');
        s.append("never allowed, whatever the configuration (").append(p.never().size()).append("):\n  ")
                .append(String.join(", ", p.never())).append('\n');
        s.append("every other syscall: ").append(p.defaultAction()).append('\n');
        return s.toString();
    }

    private static String marker(Origin origin) {
        return switch (origin) {
            case DEFAULT -> "";
            case NETWORK -> "  [network]";
            case OPERATOR -> "  [operator]";
        };
    }
}
