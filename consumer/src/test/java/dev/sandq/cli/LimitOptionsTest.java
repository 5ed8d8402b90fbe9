package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.JobLimits;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxLimits;
import dev.sandq.testing.Fast;
import dev.sandq.wire.JobParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator's limits (--default-*, --max-*, code and input size) as worker, up, exec and doctor take them. */
@Fast
class LimitOptionsTest {
    private static final long MIB = 1024L * 1024L;

    @TempDir
    Path dir;

    private static SandboxConfig configOf(Map<String, String> env, String... flags) {
        return CliRun.doctorConfig(env, flags);
    }

    @Test
    void withoutFlagsTheBuiltInDefaultsAndCeilingsApply() {
        SandboxConfig config = configOf(Map.of());
        assertEquals(SandboxLimits.DEFAULTS, config.defaults());
        assertEquals(SandboxLimits.CEILINGS, config.ceilings());
    }

    @Test
    void everyLimitIsAFlag() {
        SandboxConfig config = configOf(Map.of(),
                "--default-wall-time-ms", "15000", "--max-wall-time-ms", "120000",
                "--default-cpu-time-ms", "10000", "--max-cpu-time-ms", "90000",
                "--default-memory-mb", "512", "--max-memory-mb", "4096",
                "--default-output-bytes", "4194304", "--max-output-bytes", "8388608",
                "--default-processes", "16", "--max-processes", "64",
                "--default-file-bytes", "1048576", "--max-file-bytes", "2097152");
        assertEquals(new SandboxLimits(15_000, 10_000, 512 * MIB, 4 * MIB, 16, MIB,
                SandboxLimits.DEFAULTS.maxOpenFiles(), SandboxLimits.DEFAULTS.tmpSizeBytes()), config.defaults());
        assertEquals(new SandboxLimits(120_000, 90_000, 4096 * MIB, 8 * MIB, 64, 2 * MIB,
                SandboxLimits.CEILINGS.maxOpenFiles(), SandboxLimits.CEILINGS.tmpSizeBytes()), config.ceilings());
        SandboxLimits job = config.defaults().resolve(JobLimits.DEFAULTS.withWallTimeMs(500_000), config.ceilings());
        assertEquals(120_000, job.wallTimeMs(), "a request above the ceiling is cut to it");
    }

    @Test
    void everyLimitIsAlsoASandqVariableAndCpuTimeFollowsTheWallTimeGivenBesideIt() {
        SandboxConfig config = configOf(Map.of("SANDQ_DEFAULT_WALL_TIME_MS", "15000", "SANDQ_MAX_WALL_TIME_MS", "90000",
                "SANDQ_DEFAULT_MEMORY_MB", "1024", "SANDQ_MAX_OUTPUT_BYTES", "33554432"));
        assertEquals(15_000, config.defaults().wallTimeMs());
        assertEquals(15_000, config.defaults().cpuTimeMs(), "CPU time follows the wall time unless given");
        assertEquals(90_000, config.ceilings().wallTimeMs());
        assertEquals(90_000, config.ceilings().cpuTimeMs());
        assertEquals(1024 * MIB, config.defaults().memoryBytes());
        assertEquals(32 * MIB, config.ceilings().maxOutputBytes());
    }

    @Test
    void aDefaultAboveItsCeilingOrANonPositiveValueIsAUsageErrorNamingTheFlags() {
        CliRun above = new CliRun();
        above.execute("doctor", "--default-wall-time-ms", "120000");
        assertEquals(ExitCodes.USAGE, above.exitCode, above::toString);
        assertTrue(above.err.contains("--default-wall-time-ms 120000 is above --max-wall-time-ms 60000"), above::toString);
        CliRun zero = new CliRun();
        zero.execute("worker", "--max-memory-mb", "0");
        assertEquals(ExitCodes.USAGE, zero.exitCode, zero::toString);
        assertTrue(zero.err.contains("--max-memory-mb must be positive, got 0"), zero::toString);
    }

    @Test
    void theWorkerTakesCodeAndInputSizesFromTheSameFlags() {
        WorkerCommand worker = new WorkerCommand();
        new CommandLine(worker).parseArgs("--max-code-bytes", "100", "--max-input-bytes", "200");
        assertEquals(100, worker.sandbox.limits().maxCodeBytes());
        assertEquals(200, worker.sandbox.limits().maxInputBytes());
        WorkerCommand defaults = new WorkerCommand();
        new CommandLine(defaults).parseArgs();
        assertEquals(JobParser.DEFAULT_MAX_CODE_BYTES, defaults.sandbox.limits().maxCodeBytes());
        assertEquals(8 * MIB, defaults.sandbox.limits().maxInputBytes());
    }

    @Test
    void execRefusesAProgramOrInputOverItsLimitsNamingBothSizes() throws Exception {
        Path program = Files.writeString(dir.resolve("big.py"), "print('" + "x".repeat(100) + "')\n");
        CliRun code = new CliRun();
        code.execute("exec", "--max-code-bytes", "50", program.toString());
        assertEquals(ExitCodes.USAGE, code.exitCode, code::toString);
        assertTrue(code.err.contains("is 110 bytes, over --max-code-bytes 50"), code::toString);
        Path input = Files.write(dir.resolve("input"), new byte[300]);
        CliRun stdin = new CliRun();
        stdin.execute("exec", "--max-input-bytes", "200", "--stdin", input.toString(), program.toString());
        assertEquals(ExitCodes.USAGE, stdin.exitCode, stdin::toString);
        assertTrue(stdin.err.contains("is 300 bytes, over --max-input-bytes 200"), stdin::toString);
        Path job = Files.writeString(dir.resolve("job.json"), "{\"language\":\"python3\",\"code\":\"print(1)\","
                + "\"stdin\":\"" + "y".repeat(300) + "\"}", StandardCharsets.UTF_8);
        CliRun jobRun = new CliRun();
        jobRun.execute("exec", "--max-input-bytes", "200", "--job", job.toString());
        assertEquals(ExitCodes.USAGE, jobRun.exitCode, jobRun::toString);
        assertTrue(jobRun.err.contains("The input (stdin and inputs) is 300 bytes, over the limit of 200 bytes."),
                jobRun::toString);
    }

    @Test
    void execRunsWithTheDefaultsItIsGiven() {
        CliRun run = new CliRun();
        run.stdin = "print(1)".getBytes(StandardCharsets.UTF_8);
        run.execute("exec", "--lang", "python3", "--default-wall-time-ms", "9000", "--default-memory-mb", "300", "-");
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertEquals(9_000, run.configs.get(0).defaults().wallTimeMs());
        assertEquals(300 * MIB, run.configs.get(0).defaults().memoryBytes());
    }
}
