package dev.sandq.executor;

/**
 * Effective limits of one job, or the worker's ceilings. All sizes in bytes, all times in ms.
 */
public record SandboxLimits(
        long wallTimeMs,
        long cpuTimeMs,
        long memoryBytes,
        long maxOutputBytes,
        long maxProcesses,
        long maxFileBytes,
        long maxOpenFiles,
        long tmpSizeBytes) {

    private static final long MIB = 1024L * 1024L;

    /** What a job gets when it asks for nothing: wall 5 s, memory 256 MiB, output 1 MiB, 32 processes. */
    public static final SandboxLimits DEFAULTS =
            new SandboxLimits(5_000, 5_000, 256 * MIB, MIB, 32, 16 * MIB, 256, 16 * MIB);

    /** The most any job may get unless the operator says otherwise. */
    public static final SandboxLimits CEILINGS =
            new SandboxLimits(60_000, 60_000, 2048 * MIB, 16 * MIB, 256, 256 * MIB, 1024, 256 * MIB);

    public SandboxLimits {
        requirePositive("wallTimeMs", wallTimeMs);
        requirePositive("cpuTimeMs", cpuTimeMs);
        requirePositive("memoryBytes", memoryBytes);
        requirePositive("maxOutputBytes", maxOutputBytes);
        requirePositive("maxProcesses", maxProcesses);
        requirePositive("maxFileBytes", maxFileBytes);
        requirePositive("maxOpenFiles", maxOpenFiles);
        requirePositive("tmpSizeBytes", tmpSizeBytes);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /**
     * The limits a job runs with: what it asked for, else these defaults, never above the ceilings.
     */
    public SandboxLimits resolve(JobLimits requested, SandboxLimits ceilings) {
        return new SandboxLimits(
                clamp(requested.wallTimeMs(), wallTimeMs, ceilings.wallTimeMs),
                clamp(requested.cpuTimeMs(), Math.min(cpuTimeMs, clamp(requested.wallTimeMs(), wallTimeMs, ceilings.wallTimeMs)), ceilings.cpuTimeMs),
                clamp(requested.memoryMb() == null ? null : requested.memoryMb() * MIB, memoryBytes, ceilings.memoryBytes),
                clamp(requested.maxOutputBytes(), maxOutputBytes, ceilings.maxOutputBytes),
                clamp(requested.maxProcesses(), maxProcesses, ceilings.maxProcesses),
                clamp(requested.maxFileBytes(), maxFileBytes, ceilings.maxFileBytes),
                Math.min(maxOpenFiles, ceilings.maxOpenFiles),
                Math.min(tmpSizeBytes, ceilings.tmpSizeBytes));
    }

    private static long clamp(Long requested, long fallback, long ceiling) {
        long wanted = requested == null || requested <= 0 ? fallback : requested;
        return Math.min(wanted, ceiling);
    }
}
