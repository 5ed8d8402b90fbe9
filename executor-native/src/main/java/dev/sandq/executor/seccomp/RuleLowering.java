package dev.sandq.executor.seccomp;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Turns a {@link SeccompPolicy} into the libseccomp rules that implement it. */
final class RuleLowering {

    /** socket(2) masks the type argument with SOCK_TYPE_MASK; the rest are SOCK_NONBLOCK/CLOEXEC. */
    static final long SOCK_TYPE_MASK = 0xf;

    private RuleLowering() {}

    static List<FilterRule> lower(SeccompPolicy policy) {
        List<FilterRule> out = new ArrayList<>();
        policy.allowed().keySet().forEach(s -> out.add(new FilterRule(s, SeccompAction.allow(), List.of())));
        policy.errno().forEach((s, action) -> out.add(new FilterRule(s, action, List.of())));
        for (ArgRule rule : policy.rules()) {
            out.add(new FilterRule(rule.syscall(), rule.action(), rule.conditions()));
            rule.otherwise().ifPresent(other -> Complements.not(rule.conditions().get(0))
                    .forEach(c -> out.add(new FilterRule(rule.syscall(), other, List.of(c)))));
        }
        out.addAll(socketRules(policy.socket()));
        return out;
    }

    private static List<FilterRule> socketRules(SocketPolicy socket) {
        List<FilterRule> out = new ArrayList<>();
        SeccompAction allow = SeccompAction.allow();
        SeccompAction badType = SeccompAction.errno(socket.typeErrno());
        SortedSet<Long> families = new TreeSet<>();
        for (SocketFamily f : socket.families()) {
            long family = Symbols.value(f.family(), "socket family");
            families.add(family);
            ArgCondition isFamily = ArgCondition.of(0, ArgCondition.Op.EQ, family);
            if (!f.types().isEmpty()) {
                SortedSet<Long> types = values(f.types(), "socket type of " + f.family());
                types.forEach(t -> out.add(rule(allow, isFamily, ArgCondition.masked(1, SOCK_TYPE_MASK, t))));
                Complements.notInMasked(1, SOCK_TYPE_MASK, types).forEach(c -> out.add(rule(badType, isFamily, c)));
            } else if (!f.protocols().isEmpty()) {
                SortedSet<Long> protocols = values(f.protocols(), "protocol of " + f.family());
                protocols.forEach(p -> out.add(rule(allow, isFamily, ArgCondition.of(2, ArgCondition.Op.EQ, p))));
                Complements.notIn(2, protocols).forEach(c -> out.add(rule(badType, isFamily, c)));
            } else {
                out.add(rule(allow, isFamily));
            }
        }
        SeccompAction badFamily = SeccompAction.errno(socket.familyErrno());
        Complements.notIn(0, families).forEach(c -> out.add(rule(badFamily, c)));
        return out;
    }

    private static SortedSet<Long> values(List<String> names, String what) {
        SortedSet<Long> out = new TreeSet<>();
        names.forEach(n -> out.add(Symbols.value(n, what)));
        return out;
    }

    private static FilterRule rule(SeccompAction action, ArgCondition... conditions) {
        return new FilterRule("socket", action, List.of(conditions));
    }
}
