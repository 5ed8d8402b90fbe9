package dev.sandq.executor.internal.launch;

import dev.sandq.executor.Result;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.executor.SandboxTimeline;
import dev.sandq.executor.Status;
import dev.sandq.executor.Usage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turns what the launcher and the output pipes said into a {@link Result}. */
final class ResultMapper {
    private static final int SIGKILL = 9;
    private static final int SIGSYS = 31;

    private ResultMapper() {
    }

    static Result map(LauncherStatus status, byte[] stdout, byte[] stderr, boolean stdoutTruncated,
                      boolean stderrTruncated, boolean outputExceeded, SandboxLimits limits, SandboxTimeline timeline) {
        Usage usage = new Usage(status.wallMs(), status.cpuMs(), status.maxRssKb());
        if (status.setupError() != null) {
            return new Result(Status.INTERNAL_ERROR, null, null, decode(stdout), decode(stderr), false, false,
                    "The sandbox could not be set up: " + status.setupError() + ".", usage, timeline);
        }
        Status outcome;
        String error;
        if (outputExceeded) {
            outcome = Status.OUTPUT_LIMIT;
            error = "The job wrote more than " + limits.maxOutputBytes() + " bytes of output and was stopped.";
        } else {
            switch (status.limit()) {
                case "wall_time" -> {
                    outcome = Status.TIMEOUT;
                    error = "The job ran longer than its wall-time limit of " + limits.wallTimeMs() + " ms.";
                }
                case "cpu_time" -> {
                    outcome = Status.TIMEOUT;
                    error = "The job used more than its CPU-time limit of " + limits.cpuTimeMs() + " ms.";
                }
                case "memory" -> {
                    outcome = Status.MEMORY_LIMIT;
                    error = "The job used more than its memory limit of " + limits.memoryBytes() / (1024 * 1024) + " MiB.";
                }
                case "terminated" -> {
                    outcome = Status.KILLED;
                    error = "The job was stopped by the worker.";
                }
                default -> {
                    if (outOfMemoryWithoutCgroup(status, stderr)) {
                        outcome = Status.MEMORY_LIMIT;
                        error = "The job ran out of its memory limit of " + limits.memoryBytes() / (1024 * 1024) + " MiB.";
                    } else if (status.signal() == SIGSYS) {
                        outcome = Status.SYSCALL_DENIED;
                        error = "The job made a system call that the sandbox does not allow.";
                    } else if (status.signal() != 0) {
                        outcome = Status.KILLED;
                        error = "The job was killed by signal " + status.signal()
                                + ("processes".equals(status.limit())
                                        ? " after reaching its limit of " + limits.maxProcesses() + " processes." : ".");
                    } else if (status.exitCode() == 0) {
                        outcome = Status.OK;
                        error = null;
                    } else {
                        outcome = Status.ERROR;
                        error = "The job exited with code " + status.exitCode() + ".";
                    }
                }
            }
        }
        Integer exitCode = status.exited() ? status.exitCode() : null;
        Integer signal = null;
        if (status.signal() != 0) {
            signal = status.signal();
        } else if (outcome == Status.OUTPUT_LIMIT) {
            signal = SIGKILL;
        }
        return new Result(outcome, exitCode, signal, decode(stdout), decode(stderr), stdoutTruncated, stderrTruncated,
                error, usage, timeline);
    }

    /**
     * Without a cgroup the memory limit is RLIMIT_DATA: allocations fail and the interpreter
     * reports it its own way (Python's MemoryError, V8's fatal "heap out of memory", Node's
     * RangeError for an ArrayBuffer it could not allocate). Only the
     * job's own stderr says so; a job that fakes it only mislabels itself.
     */
    private static boolean outOfMemoryWithoutCgroup(LauncherStatus status, byte[] stderr) {
        if (!"none".equals(status.cgroup()) || status.exitCode() == 0) {
            return false;
        }
        String tail = decode(java.util.Arrays.copyOfRange(stderr, Math.max(0, stderr.length - 4096), stderr.length));
        return tail.contains("MemoryError") || tail.contains("JavaScript heap out of memory")
                || tail.contains("Fatal process out of memory") || tail.contains("std::bad_alloc")
                || tail.contains("RangeError: Array buffer allocation failed");
    }

    /** UTF-8, with invalid sequences replaced so that the result is always valid JSON text. */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }
}
