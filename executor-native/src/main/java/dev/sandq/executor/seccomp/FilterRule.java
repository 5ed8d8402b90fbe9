package dev.sandq.executor.seccomp;

import java.util.List;

/** One seccomp_rule_add_array call: a syscall, an action, and at most one condition per argument. */
record FilterRule(String syscall, SeccompAction action, List<ArgCondition> conditions) {

    FilterRule {
        conditions = List.copyOf(conditions);
    }

    @Override
    public String toString() {
        return syscall + " " + action + (conditions.isEmpty() ? "" : " if " + conditions);
    }
}
