package dev.sandq.executor;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One unit of work for the sandbox: a program and what it may use. Knows nothing of Kafka.
 *
 * @param language       the interpreter
 * @param code           the program's source text
 * @param stdin          bytes fed to the program's standard input (empty for none)
 * @param limits         requested limits, clamped to the worker's ceilings
 * @param enableNetwork  whether the job may use the worker's egress path
 * @param files          written into the working directory before the program starts ({@link InputFiles})
 * @param expectedImports modules the program is known to import (Jinja2 for a template): only a
 *                        hint, for the sandbox to have them warm for the jobs to come; never
 *                        required, and nothing else changes with it
 */
public record Job(Language language, String code, byte[] stdin, JobLimits limits, boolean enableNetwork,
                  List<InputFile> files, Set<String> expectedImports) {

    public Job {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(code, "code");
        stdin = stdin == null ? new byte[0] : stdin.clone();
        limits = limits == null ? JobLimits.DEFAULTS : limits;
        files = files == null ? List.of() : List.copyOf(files);
        expectedImports = expectedImports == null ? Set.of() : Set.copyOf(expectedImports);
    }

    /** A job with no expected imports. */
    public Job(Language language, String code, byte[] stdin, JobLimits limits, boolean enableNetwork,
               List<InputFile> files) {
        this(language, code, stdin, limits, enableNetwork, files, Set.of());
    }

    /** A job with no input files. */
    public Job(Language language, String code, byte[] stdin, JobLimits limits, boolean enableNetwork) {
        this(language, code, stdin, limits, enableNetwork, List.of());
    }

    public static Job of(Language language, String code) {
        return new Job(language, code, new byte[0], JobLimits.DEFAULTS, false);
    }

    public Job withLimits(JobLimits newLimits) {
        return new Job(language, code, stdin, newLimits, enableNetwork, files, expectedImports);
    }

    public Job withStdin(byte[] newStdin) {
        return new Job(language, code, newStdin, limits, enableNetwork, files, expectedImports);
    }

    public Job withNetwork(boolean enabled) {
        return new Job(language, code, stdin, limits, enabled, files, expectedImports);
    }

    public Job withFiles(List<InputFile> newFiles) {
        return new Job(language, code, stdin, limits, enableNetwork, newFiles, expectedImports);
    }

    public Job withExpectedImports(Set<String> modules) {
        return new Job(language, code, stdin, limits, enableNetwork, files, modules);
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }
}
