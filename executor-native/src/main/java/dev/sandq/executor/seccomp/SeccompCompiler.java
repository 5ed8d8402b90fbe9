package dev.sandq.executor.seccomp;

import dev.sandq.executor.seccomp.internal.Comparison;
import dev.sandq.executor.seccomp.internal.LibseccompException;
import dev.sandq.executor.seccomp.internal.SeccompFilter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Feeds a policy's rules to libseccomp and exports the result; BPF is cached per policy. */
final class SeccompCompiler {

    private static final Map<SeccompPolicy, byte[]> BPF_CACHE = new ConcurrentHashMap<>();

    private SeccompCompiler() {}

    /** @throws SeccompException when libseccomp refuses a call; the message names it */
    static byte[] bpf(SeccompPolicy policy) {
        try {
            return BPF_CACHE.computeIfAbsent(policy, p -> {
                try (SeccompFilter filter = build(p)) {
                    return filter.exportBpf();
                }
            }).clone();
        } catch (LibseccompException e) {
            throw new SeccompException(e.getMessage(), e);
        }
    }

    /** @throws SeccompException when libseccomp refuses a call; the message names it */
    static String pfc(SeccompPolicy policy) {
        try (SeccompFilter filter = build(policy)) {
            return filter.exportPfc();
        } catch (LibseccompException e) {
            throw new SeccompException(e.getMessage(), e);
        }
    }

    private static SeccompFilter build(SeccompPolicy policy) {
        SeccompFilter filter = new SeccompFilter(policy.defaultAction().libseccompValue());
        try {
            for (FilterRule rule : policy.filterRules()) {
                List<Comparison> comparisons = rule.conditions().stream()
                        .map(c -> new Comparison(c.index(), c.op().scmp(),
                                c.op() == ArgCondition.Op.MASKED_EQ ? c.mask() : c.value(),
                                c.op() == ArgCondition.Op.MASKED_EQ ? c.value() : 0))
                        .toList();
                filter.addRule(rule.syscall(), rule.action().libseccompValue(), comparisons, rule.toString());
            }
            return filter;
        } catch (RuntimeException e) {
            filter.close();
            throw e;
        }
    }
}
