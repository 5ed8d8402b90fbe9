package dev.sandq.executor.internal.assets;

import dev.sandq.executor.Language;

/** Where the compiled seccomp program (raw BPF) of a language comes from. */
@FunctionalInterface
public interface SeccompProgramSource {
    byte[] program(Language language, boolean network);
}
