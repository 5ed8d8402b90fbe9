package dev.sandq.executor.seccomp;

import java.util.List;
import java.util.Optional;

/**
 * An argument-filtered rule: {@code action} when every condition holds. With {@code otherwise}
 * (only for a single eq/masked_eq/ne/lt/le/ge/gt condition) every other value of that argument
 * gets the {@code otherwise} action, encoded as exact, disjoint libseccomp rules.
 */
public record ArgRule(String syscall, SeccompAction action, List<ArgCondition> conditions,
                      Optional<SeccompAction> otherwise, String why, Origin origin) {

    public ArgRule {
        conditions = List.copyOf(conditions);
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException("rule for " + syscall + " has no argument condition; use allow or errno instead");
        }
        if (conditions.stream().map(ArgCondition::index).distinct().count() != conditions.size()) {
            // libseccomp rejects two comparisons of one argument in one rule (EINVAL).
            throw new IllegalArgumentException("rule for " + syscall + " compares one argument twice: " + conditions);
        }
        if (otherwise.isPresent() && conditions.size() != 1) {
            throw new IllegalArgumentException("rule for " + syscall + " has 'otherwise' but "
                    + conditions.size() + " conditions; 'otherwise' needs exactly one");
        }
        if (otherwise.isPresent() && otherwise.get().equals(action)) {
            throw new IllegalArgumentException("rule for " + syscall + " has the same action (" + action + ") and 'otherwise'");
        }
        why = why == null ? "" : why;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(syscall).append(": ").append(action).append(" if ");
        s.append(String.join(" and ", conditions.stream().map(ArgCondition::toString).toList()));
        otherwise.ifPresent(o -> s.append("; otherwise ").append(o));
        return s.toString();
    }
}
