package dev.sandq.executor.seccomp;

import dev.sandq.executor.Language;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the seccomp policies shipped under {@code sandq/seccomp/} (README.md there describes
 * the format and how the lists were derived).
 */
public final class SeccompPolicies {

    private static final String DIRECTORY = "/sandq/seccomp/";
    private static final String COMMON = "common.json";
    private static final String NETWORK = "network.json";

    private record Key(Language language, boolean network, List<String> extras) {}

    private static final Map<Key, SeccompPolicy> CACHE = new ConcurrentHashMap<>();

    private SeccompPolicies() {}

    /**
     * The effective policy: the language's defaults, plus the network extras when
     * {@code network} is true, plus the operator's extra syscalls (which only ever add).
     *
     * @throws IllegalArgumentException naming the syscall when an extra is unknown on x86_64,
     *     never allowed (ptrace, mount, ...), or filtered by argument (clone, ioctl, socket, ...)
     */
    public static SeccompPolicy load(Language language, boolean network, List<String> operatorExtraSyscalls) {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(operatorExtraSyscalls, "operatorExtraSyscalls (use List.of() for none)");
        Key key = new Key(language, network, List.copyOf(operatorExtraSyscalls));
        return CACHE.computeIfAbsent(key, SeccompPolicies::assemble);
    }

    /** The x86_64 name of syscall number {@code nr} (as DifySandbox's ALLOWED_SYSCALLS gives them); empty when unknown. */
    public static Optional<String> syscallName(int nr) {
        return dev.sandq.executor.seccomp.internal.SeccompFilter.name(nr);
    }

    private static SeccompPolicy assemble(Key key) {
        PolicyAssembler assembler = new PolicyAssembler(key.language(), key.network())
                .add(source(COMMON, Origin.DEFAULT))
                .add(source(key.language().wireName() + ".json", Origin.DEFAULT));
        if (key.network()) {
            assembler.add(source(NETWORK, Origin.NETWORK));
        }
        return assembler.addOperatorExtras(key.extras()).build(key.extras());
    }

    private static PolicyAssembler.Source source(String file, Origin origin) {
        return new PolicyAssembler.Source(file, PolicyDocument.read(DIRECTORY + file), origin);
    }
}
