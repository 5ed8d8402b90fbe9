package dev.sandq.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A job's requested limits, each optional (null: the worker's default), each clamped by the worker
 * to its ceiling.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Limits(Long wallTimeMs, Long cpuTimeMs, Long memoryMb, Long maxOutputBytes, Long maxProcesses,
                     Long maxFileBytes) {
    /** No limit requested: the worker's defaults. */
    public static final Limits NONE = new Limits(null, null, null, null, null, null);

    public Limits {
        positive("wall_time_ms", wallTimeMs);
        positive("cpu_time_ms", cpuTimeMs);
        positive("memory_mb", memoryMb);
        positive("max_output_bytes", maxOutputBytes);
        positive("max_processes", maxProcesses);
        positive("max_file_bytes", maxFileBytes);
    }

    public Limits withWallTimeMs(long ms) {
        return new Limits(ms, cpuTimeMs, memoryMb, maxOutputBytes, maxProcesses, maxFileBytes);
    }

    public Limits withCpuTimeMs(long ms) {
        return new Limits(wallTimeMs, ms, memoryMb, maxOutputBytes, maxProcesses, maxFileBytes);
    }

    public Limits withMemoryMb(long mb) {
        return new Limits(wallTimeMs, cpuTimeMs, mb, maxOutputBytes, maxProcesses, maxFileBytes);
    }

    public Limits withMaxOutputBytes(long bytes) {
        return new Limits(wallTimeMs, cpuTimeMs, memoryMb, bytes, maxProcesses, maxFileBytes);
    }

    public Limits withMaxProcesses(long n) {
        return new Limits(wallTimeMs, cpuTimeMs, memoryMb, maxOutputBytes, n, maxFileBytes);
    }

    public Limits withMaxFileBytes(long bytes) {
        return new Limits(wallTimeMs, cpuTimeMs, memoryMb, maxOutputBytes, maxProcesses, bytes);
    }

    private static void positive(String name, Long value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
