package dev.sandq.executor;

import java.util.Objects;

/**
 * One unit of work for the sandbox: a program and what it may use. Knows nothing of Kafka.
 *
 * @param language       the interpreter
 * @param code           the program's source text
 * @param stdin          bytes fed to the program's standard input (empty for none)
 * @param limits         requested limits, clamped to the worker's ceilings
 * @param enableNetwork  whether the job may use the worker's egress path
 */
public record Job(Language language, String code, byte[] stdin, JobLimits limits, boolean enableNetwork) {

    public Job {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(code, "code");
        stdin = stdin == null ? new byte[0] : stdin.clone();
        limits = limits == null ? JobLimits.DEFAULTS : limits;
    }

    public static Job of(Language language, String code) {
        return new Job(language, code, new byte[0], JobLimits.DEFAULTS, false);
    }

    public Job withLimits(JobLimits newLimits) {
        return new Job(language, code, stdin, newLimits, enableNetwork);
    }

    public Job withStdin(byte[] newStdin) {
        return new Job(language, code, newStdin, limits, enableNetwork);
    }

    public Job withNetwork(boolean enabled) {
        return new Job(language, code, stdin, limits, enabled);
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }
}
