package dev.sandq.executor;

import java.util.OptionalLong;

/**
 * Limits a job asks for. Every field is optional (null = use the worker's default); the
 * sandbox clamps each to the worker's ceiling (see {@link SandboxLimits#clamp}).
 */
public record JobLimits(
        Long wallTimeMs,
        Long cpuTimeMs,
        Long memoryMb,
        Long maxOutputBytes,
        Long maxProcesses,
        Long maxFileBytes) {

    public static final JobLimits DEFAULTS = new JobLimits(null, null, null, null, null, null);

    public JobLimits withWallTimeMs(long v) {
        return new JobLimits(v, cpuTimeMs, memoryMb, maxOutputBytes, maxProcesses, maxFileBytes);
    }

    public JobLimits withMemoryMb(long v) {
        return new JobLimits(wallTimeMs, cpuTimeMs, v, maxOutputBytes, maxProcesses, maxFileBytes);
    }

    public JobLimits withMaxOutputBytes(long v) {
        return new JobLimits(wallTimeMs, cpuTimeMs, memoryMb, v, maxProcesses, maxFileBytes);
    }

    public JobLimits withCpuTimeMs(long v) {
        return new JobLimits(wallTimeMs, v, memoryMb, maxOutputBytes, maxProcesses, maxFileBytes);
    }

    public JobLimits withMaxProcesses(long v) {
        return new JobLimits(wallTimeMs, cpuTimeMs, memoryMb, maxOutputBytes, v, maxFileBytes);
    }

    static OptionalLong of(Long v) {
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }
}
