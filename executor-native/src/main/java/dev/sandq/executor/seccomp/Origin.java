package dev.sandq.executor.seccomp;

/** Where an entry of the effective policy comes from. */
public enum Origin {
    /** The language's own policy file or the common rules. */
    DEFAULT,
    /** network.json, present only when the job has the network on. */
    NETWORK,
    /** The operator's configuration (extra syscalls for a language). */
    OPERATOR
}
