package dev.sandq.executor.seccomp;

import dev.sandq.executor.Language;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The effective seccomp policy of one language, with or without the network, with the
 * operator's extra syscalls. Built by {@link SeccompPolicies#load}; x86_64 only.
 *
 * @param allowed syscalls allowed whatever their arguments, with where each comes from
 * @param errno syscalls always answered with an errno (e.g. clone3 with ENOSYS)
 * @param rules argument-filtered rules (clone flags, ioctl TIOCSTI, socketpair family)
 * @param socket which families and types socket() may create
 * @param never syscalls no configuration may allow (they get the default action unless
 *     {@code errno} lists them)
 * @param operatorExtras the operator's extra syscalls as configured, in order
 */
public record SeccompPolicy(Language language, boolean network, SeccompAction defaultAction,
                            SortedMap<String, Origin> allowed, SortedMap<String, SeccompAction> errno,
                            List<ArgRule> rules, SocketPolicy socket, SortedSet<String> never,
                            List<String> operatorExtras) {

    public SeccompPolicy {
        allowed = Collections.unmodifiableSortedMap(new TreeMap<>(allowed));
        errno = Collections.unmodifiableSortedMap(new TreeMap<>(errno));
        rules = List.copyOf(rules);
        never = Collections.unmodifiableSortedSet(new TreeSet<>(never));
        operatorExtras = List.copyOf(operatorExtras);
        if (defaultAction.kind() == SeccompAction.Kind.ALLOW) {
            throw new IllegalArgumentException("default action of the " + language.wireName()
                    + " policy is allow; sandq only runs allowlists");
        }
        for (Map.Entry<String, SeccompAction> e : errno.entrySet()) {
            if (e.getValue().kind() != SeccompAction.Kind.ERRNO) {
                throw new IllegalArgumentException("errno entry " + e.getKey() + " has action " + e.getValue());
            }
        }
        checkDisjoint(allowed.keySet(), errno.keySet(), "allowed", "answered with an errno");
        Set<String> ruled = new TreeSet<>(rules.stream().map(ArgRule::syscall).toList());
        ruled.add("socket");
        // An unconditional entry would make libseccomp drop the argument rules of the same syscall.
        checkDisjoint(allowed.keySet(), ruled, "allowed unconditionally", "filtered by argument");
        checkDisjoint(errno.keySet(), ruled, "answered with an errno", "filtered by argument");
        checkDisjoint(allowed.keySet(), never, "allowed", "never allowed");
    }

    private static void checkDisjoint(Set<String> a, Set<String> b, String aName, String bName) {
        Set<String> both = new TreeSet<>(a);
        both.retainAll(b);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("syscalls both " + aName + " and " + bName + ": " + both);
        }
    }

    /**
     * The raw classic-BPF program (an array of struct sock_filter, 8 bytes each, host byte
     * order) as libseccomp's seccomp_export_bpf writes it. Compiled once per policy, then cached.
     *
     * @throws SeccompException when libseccomp refuses a call; the message names it
     */
    public byte[] compileBpf() {
        return SeccompCompiler.bpf(this);
    }

    /** libseccomp's pseudo-filter code of the same filter (seccomp_export_pfc). */
    public String exportPfc() {
        return SeccompCompiler.pfc(this);
    }

    /**
     * A readable, multi-line account of the policy: default action, architecture handling,
     * every allowed syscall, every errno and argument rule, socket families, and which entries
     * come from the network extras or the operator. What {@code sandq policy show} prints.
     */
    public String describe() {
        return PolicyDescription.of(this);
    }

    /** The libseccomp rules this policy compiles to, complements included. */
    List<FilterRule> filterRules() {
        return RuleLowering.lower(this);
    }
}
