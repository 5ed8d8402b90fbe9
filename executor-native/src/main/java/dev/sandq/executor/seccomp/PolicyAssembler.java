package dev.sandq.executor.seccomp;

import dev.sandq.executor.Language;
import dev.sandq.executor.seccomp.internal.SeccompFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges the policy files (common, language, network when on) and the operator's extras into
 * one {@link SeccompPolicy}. Everything is validated here, so that a bad name fails at start-up
 * with a message that contains it and says where it came from.
 */
final class PolicyAssembler {

    /** A parsed file and the name it is reported under. */
    record Source(String name, PolicyDocument document, Origin origin) {}

    private final Language language;
    private final boolean network;
    private SeccompAction defaultAction;
    private final SortedMap<String, Origin> allowed = new TreeMap<>();
    private final SortedMap<String, SeccompAction> errno = new TreeMap<>();
    private final List<ArgRule> rules = new ArrayList<>();
    private final SortedSet<String> never = new TreeSet<>();
    private Integer familyErrno;
    private Integer typeErrno;
    private final Map<String, SocketFamily> families = new LinkedHashMap<>();

    PolicyAssembler(Language language, boolean network) {
        this.language = language;
        this.network = network;
    }

    PolicyAssembler add(Source source) {
        PolicyDocument doc = source.document();
        String where = "seccomp policy " + source.name();
        if (doc.defaultAction() != null) {
            if (defaultAction != null || source.origin() != Origin.DEFAULT) {
                throw new IllegalArgumentException(where + ": default_action may be set once, in the language's file");
            }
            defaultAction = action(doc.defaultAction(), null, where + " default_action");
        }
        for (String name : doc.never()) {
            never.add(syscall(name, where + " never"));
        }
        for (String name : doc.allow()) {
            allowed.putIfAbsent(syscall(name, where + " allow"), source.origin());
        }
        doc.errno().forEach((name, errnoName) -> {
            String s = syscall(name, where + " errno");
            if (errno.put(s, SeccompAction.errno(Symbols.errno(errnoName, where + " errno of " + s))) != null) {
                throw new IllegalArgumentException(where + ": errno of " + s + " is set twice");
            }
        });
        for (PolicyDocument.RuleEntry r : doc.rules()) {
            rules.add(rule(r, where, source.origin()));
        }
        if (doc.socket() != null) {
            addSocket(doc.socket(), where, source.origin());
        }
        return this;
    }

    /** The operator's extras: each one a known syscall that is not forbidden or argument-filtered. */
    PolicyAssembler addOperatorExtras(List<String> extras) {
        String where = "operator's extra syscalls for " + language.wireName();
        for (String raw : extras) {
            String name = syscall(raw == null ? "" : raw.strip(), where);
            if (never.contains(name)) {
                throw new IllegalArgumentException(where + ": " + name + " is never allowed in a sandq job");
            }
            if (name.equals("socket") || rules.stream().anyMatch(r -> r.syscall().equals(name))) {
                throw new IllegalArgumentException(where + ": " + name
                        + " is filtered by argument; allowing it unconditionally would replace those rules");
            }
            if (errno.containsKey(name)) {
                throw new IllegalArgumentException(where + ": " + name + " is answered with "
                        + errno.get(name) + " by the default policy and cannot be allowed");
            }
            allowed.putIfAbsent(name, Origin.OPERATOR);
        }
        return this;
    }

    SeccompPolicy build(List<String> operatorExtras) {
        if (defaultAction == null) {
            throw new IllegalArgumentException("seccomp policy for " + language.wireName() + " has no default_action");
        }
        if (familyErrno == null || typeErrno == null) {
            throw new IllegalArgumentException("seccomp policy for " + language.wireName()
                    + " has no socket family_errno/type_errno");
        }
        SocketPolicy socket = new SocketPolicy(familyErrno, typeErrno, List.copyOf(families.values()));
        return new SeccompPolicy(language, network, defaultAction, allowed, errno, rules, socket, never,
                operatorExtras.stream().map(String::strip).toList());
    }

    private void addSocket(PolicyDocument.SocketEntry socket, String where, Origin origin) {
        if (socket.familyErrno() != null) {
            familyErrno = once(familyErrno, Symbols.errno(socket.familyErrno(), where + " socket family_errno"), where);
        }
        if (socket.typeErrno() != null) {
            typeErrno = once(typeErrno, Symbols.errno(socket.typeErrno(), where + " socket type_errno"), where);
        }
        for (PolicyDocument.FamilyEntry f : socket.families() == null ? List.<PolicyDocument.FamilyEntry>of() : socket.families()) {
            String what = where + " socket family " + f.family();
            long number = Symbols.value(f.family(), what);
            if (number <= 0 || number > 255) {
                throw new IllegalArgumentException(what + ": " + number + " is not an address family");
            }
            List<String> types = f.types() == null ? List.of() : f.types();
            List<String> protocols = f.protocols() == null ? List.of() : f.protocols();
            for (String t : types) {
                long type = Symbols.value(t, what + " type");
                if (type <= 0 || type > RuleLowering.SOCK_TYPE_MASK) {
                    throw new IllegalArgumentException(what + ": socket type " + t + " is not in 1..15");
                }
            }
            for (String p : protocols) {
                long protocol = Symbols.value(p, what + " protocol");
                if (protocol < 0 || protocol > 255) {
                    throw new IllegalArgumentException(what + ": protocol " + p + " is not in 0..255");
                }
            }
            if (families.putIfAbsent(f.family(), new SocketFamily(f.family(), types, protocols, origin)) != null) {
                throw new IllegalArgumentException(what + " is listed twice");
            }
        }
    }

    private static int once(Integer current, int value, String where) {
        if (current != null) {
            throw new IllegalArgumentException(where + ": socket errno set a second time");
        }
        return value;
    }

    private ArgRule rule(PolicyDocument.RuleEntry r, String where, Origin origin) {
        String s = syscall(r.syscall(), where + " rules");
        String what = where + " rule for " + s;
        List<ArgCondition> conditions = new ArrayList<>();
        for (PolicyDocument.ArgEntry a : r.args() == null ? List.<PolicyDocument.ArgEntry>of() : r.args()) {
            conditions.add(condition(a, what));
        }
        Optional<SeccompAction> otherwise = Optional.ofNullable(r.otherwise()).map(o -> action(o, null, what + " otherwise"));
        try {
            return new ArgRule(s, action(r.action(), r.errno(), what), conditions, otherwise, r.why(), origin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static ArgCondition condition(PolicyDocument.ArgEntry a, String what) {
        if (a.index() == null || a.op() == null || a.value() == null) {
            throw new IllegalArgumentException(what + ": an argument condition needs index, op and value: " + a);
        }
        ArgCondition.Op op;
        try {
            op = ArgCondition.Op.valueOf(a.op().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": unknown comparison '" + a.op() + "'");
        }
        long value = Symbols.value(a.value(), what + " value");
        if (op == ArgCondition.Op.MASKED_EQ) {
            return ArgCondition.masked(a.index(), Symbols.value(a.mask(), what + " mask"), value);
        }
        if (a.mask() != null) {
            throw new IllegalArgumentException(what + ": mask '" + a.mask() + "' only goes with masked_eq, not " + a.op());
        }
        return ArgCondition.of(a.index(), op, value);
    }

    private static SeccompAction action(String name, String errnoName, String what) {
        String n = name == null ? "" : name;
        SeccompAction action = switch (n) {
            case "allow" -> SeccompAction.allow();
            case "kill_process" -> SeccompAction.killProcess();
            case "errno" -> {
                if (errnoName == null) {
                    throw new IllegalArgumentException(what + ": action errno needs an \"errno\" field");
                }
                yield SeccompAction.errno(Symbols.errno(errnoName, what));
            }
            default -> throw new IllegalArgumentException(what + ": unknown action '" + n
                    + "' (allow, errno, kill_process)");
        };
        if (errnoName != null && action.kind() != SeccompAction.Kind.ERRNO) {
            throw new IllegalArgumentException(what + ": errno '" + errnoName + "' given with action " + n);
        }
        return action;
    }

    private static String syscall(String name, String where) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(where + ": empty syscall name");
        }
        if (SeccompFilter.resolve(name) < 0) {
            throw new IllegalArgumentException(where + ": unknown syscall '" + name + "' (not a syscall on x86_64)");
        }
        return name;
    }
}
