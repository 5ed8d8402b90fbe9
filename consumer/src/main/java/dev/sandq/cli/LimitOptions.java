package dev.sandq.cli;

import dev.sandq.executor.FileLimits;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.wire.JobParser;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The operator's limits, shared by the commands that run jobs (exec, worker, up, doctor): what a
 * job gets when it asks for nothing ({@code --default-*}), the most it may ask for ({@code --max-*},
 * its request is clamped to them), and the largest code and input a job may carry. Each reads its
 * {@code SANDQ_*} variable like every option; unset ones keep {@link SandboxLimits#DEFAULTS},
 * {@link SandboxLimits#CEILINGS} and the parser's defaults, except CPU time, which follows the
 * wall-clock time given beside it.
 */
public final class LimitOptions {
    private static final long MIB = 1024L * 1024L;

    @Option(names = "--default-wall-time-ms", paramLabel = "MS",
            description = "Wall-clock limit of a job that asks for none (default 5000).")
    Long defaultWallTimeMs;

    @Option(names = "--max-wall-time-ms", paramLabel = "MS",
            description = "The most wall-clock time a job may ask for; longer requests are cut to it (default 60000).")
    Long maxWallTimeMs;

    @Option(names = "--default-cpu-time-ms", paramLabel = "MS",
            description = "CPU time, summed over a job's processes, of a job that asks for none; never above its "
                    + "wall-clock limit (default: --default-wall-time-ms, 5000).")
    Long defaultCpuTimeMs;

    @Option(names = "--max-cpu-time-ms", paramLabel = "MS",
            description = "The most CPU time a job may ask for (default: --max-wall-time-ms, 60000).")
    Long maxCpuTimeMs;

    @Option(names = "--default-memory-mb", paramLabel = "MIB",
            description = "Memory of a job that asks for none, in MiB (default 256).")
    Long defaultMemoryMb;

    @Option(names = "--max-memory-mb", paramLabel = "MIB",
            description = "The most memory a job may ask for, in MiB (default 2048).")
    Long maxMemoryMb;

    @Option(names = "--default-output-bytes", paramLabel = "BYTES",
            description = "Bytes of stdout and stderr together that a job which asks for no limit may write before it "
                    + "is stopped (status output_limit) (default 1048576).")
    Long defaultOutputBytes;

    @Option(names = "--max-output-bytes", paramLabel = "BYTES",
            description = "The most output a job may ask for (default 16777216). A reply must also fit in one record "
                    + "of the results topic (its max.message.bytes); one that does not has its output cut.")
    Long maxOutputBytes;

    @Option(names = "--default-processes", paramLabel = "N",
            description = "Processes and threads of a job that asks for none (default 32).")
    Long defaultProcesses;

    @Option(names = "--max-processes", paramLabel = "N",
            description = "The most processes and threads a job may ask for (default 256).")
    Long maxProcesses;

    @Option(names = "--default-file-bytes", paramLabel = "BYTES",
            description = "Largest file a job that asks for no limit may write (default 16777216).")
    Long defaultFileBytes;

    @Option(names = "--max-file-bytes", paramLabel = "BYTES",
            description = "The largest file a job may ask to write (default 268435456).")
    Long maxFileBytes;

    @Option(names = "--max-code-bytes", paramLabel = "BYTES",
            description = "Largest code (its preload included) a job may carry, in UTF-8 bytes; a larger one is "
                    + "answered rejected, naming both sizes (default 8388608).")
    Long maxCodeBytes;

    @Option(names = "--max-input-bytes", paramLabel = "BYTES",
            description = "Largest input (stdin and the inputs' JSON together) a job may carry, in UTF-8 bytes "
                    + "(default 8388608).")
    Long maxInputBytes;

    @Option(names = "--max-input-files", paramLabel = "N",
            description = "Most input files (the job's files) a job may bring; more are answered rejected (default 100).")
    Integer maxInputFiles;

    @Option(names = "--max-input-files-bytes", paramLabel = "BYTES",
            description = "Most bytes of input files a job may bring, together and decoded; more are answered rejected, "
                    + "naming the file at which the sum went over (default 8388608).")
    Long maxInputFilesBytes;

    @Option(names = "--max-output-files", paramLabel = "N",
            description = "Most output files (left in SANDQ_OUTPUT_DIR) returned with a result; the rest are left out "
                    + "and the result says files_truncated (default 64).")
    Integer maxOutputFiles;

    @Option(names = "--max-output-files-bytes", paramLabel = "BYTES",
            description = "Most bytes of output files returned together (before base64, which adds a third); a file that "
                    + "would go past it is left out, files_truncated. With --max-output-bytes it must fit in one record of "
                    + "the results topic (16 MiB): a reply that does not is sent without its files, status output_limit "
                    + "(default 4194304).")
    Long maxOutputFilesBytes;

    /** The file limits these flags describe, on top of {@link FileLimits#DEFAULTS}. */
    public FileLimits files() {
        FileLimits d = FileLimits.DEFAULTS;
        return new FileLimits(
                maxInputFiles == null ? d.maxInputFiles() : maxInputFiles,
                positive(maxInputFilesBytes, "--max-input-files-bytes", d.maxInputBytes()),
                maxOutputFiles == null ? d.maxOutputFiles() : maxOutputFiles,
                positive(maxOutputFilesBytes, "--max-output-files-bytes", d.maxOutputBytes()));
    }

    /**
     * The defaults these flags describe, on top of {@link SandboxLimits#DEFAULTS}.
     *
     * @throws IllegalArgumentException naming the flag when a value is not positive or a default is above its ceiling
     */
    public SandboxLimits defaults() {
        SandboxLimits d = SandboxLimits.DEFAULTS;
        long wall = positive(defaultWallTimeMs, "--default-wall-time-ms", d.wallTimeMs());
        SandboxLimits defaults = new SandboxLimits(
                wall,
                positive(defaultCpuTimeMs, "--default-cpu-time-ms", wall),
                mib(defaultMemoryMb, "--default-memory-mb", d.memoryBytes()),
                positive(defaultOutputBytes, "--default-output-bytes", d.maxOutputBytes()),
                positive(defaultProcesses, "--default-processes", d.maxProcesses()),
                positive(defaultFileBytes, "--default-file-bytes", d.maxFileBytes()),
                d.maxOpenFiles(), d.tmpSizeBytes());
        SandboxLimits ceilings = ceilings();
        List<String> above = new ArrayList<>();
        above(above, "--default-wall-time-ms", defaults.wallTimeMs(), "--max-wall-time-ms", ceilings.wallTimeMs());
        above(above, "--default-cpu-time-ms", defaults.cpuTimeMs(), "--max-cpu-time-ms", ceilings.cpuTimeMs());
        above(above, "--default-memory-mb", defaults.memoryBytes() / MIB, "--max-memory-mb", ceilings.memoryBytes() / MIB);
        above(above, "--default-output-bytes", defaults.maxOutputBytes(), "--max-output-bytes",
                ceilings.maxOutputBytes());
        above(above, "--default-processes", defaults.maxProcesses(), "--max-processes", ceilings.maxProcesses());
        above(above, "--default-file-bytes", defaults.maxFileBytes(), "--max-file-bytes", ceilings.maxFileBytes());
        if (!above.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", above));
        }
        return defaults;
    }

    /** The ceilings these flags describe, on top of {@link SandboxLimits#CEILINGS}. */
    public SandboxLimits ceilings() {
        SandboxLimits c = SandboxLimits.CEILINGS;
        long wall = positive(maxWallTimeMs, "--max-wall-time-ms", c.wallTimeMs());
        return new SandboxLimits(
                wall,
                positive(maxCpuTimeMs, "--max-cpu-time-ms", wall),
                mib(maxMemoryMb, "--max-memory-mb", c.memoryBytes()),
                positive(maxOutputBytes, "--max-output-bytes", c.maxOutputBytes()),
                positive(maxProcesses, "--max-processes", c.maxProcesses()),
                positive(maxFileBytes, "--max-file-bytes", c.maxFileBytes()),
                c.maxOpenFiles(), c.tmpSizeBytes());
    }

    /** The largest code a job may carry ({@code --max-code-bytes}). */
    public long maxCodeBytes() {
        return positive(maxCodeBytes, "--max-code-bytes", JobParser.DEFAULT_MAX_CODE_BYTES);
    }

    /** The largest input a job may carry ({@code --max-input-bytes}). */
    public long maxInputBytes() {
        return positive(maxInputBytes, "--max-input-bytes", JobParser.DEFAULT_MAX_INPUT_BYTES);
    }

    private static void above(List<String> problems, String flag, long value, String ceilingFlag, long ceiling) {
        if (value > ceiling) {
            problems.add(flag + " " + value + " is above " + ceilingFlag + " " + ceiling
                    + " (the most a job may get); raise " + ceilingFlag + " too");
        }
    }

    private static long positive(Long value, String flag, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value <= 0) {
            throw new IllegalArgumentException(flag + " must be positive, got " + value);
        }
        return value;
    }

    private static long mib(Long value, String flag, long fallbackBytes) {
        if (value == null) {
            return fallbackBytes;
        }
        long mib = positive(value, flag, 0);
        if (mib > Long.MAX_VALUE / MIB) {
            throw new IllegalArgumentException(flag + " is too large, got " + value);
        }
        return mib * MIB;
    }
}
