package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.executor.HostReport;
import dev.sandq.executor.Job;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.Result;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** Runs the CLI in-process against a fake host and captures what it prints. */
final class CliRun {
    static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");

    Map<String, String> env = Map.of();
    /** The command providers; the class path's by default, as in {@code sandq} (none in consumer's tests). */
    List<CommandProvider> providers = Main.installedProviders();
    byte[] stdin = new byte[0];
    Result result = new Result(dev.sandq.executor.Status.OK, 0, null, "hi\n", "", false, false, null,
            new dev.sandq.executor.Usage(12, 8, 9120));
    SandboxUnavailableException unavailable;
    Function<SandboxConfig, HostReport> probe = config -> {
        throw new AssertionError("doctor not expected");
    };

    final List<Job> jobs = new ArrayList<>();
    final List<SandboxConfig> configs = new ArrayList<>();
    int exitCode = -1;
    String out;
    String err;

    /**
     * The sandbox configuration {@code sandq doctor FLAGS} builds from the flags and {@code env}
     * (doctor's host probe is handed it); fails unless doctor exits 0.
     */
    static SandboxConfig doctorConfig(Map<String, String> env, String... flags) {
        AtomicReference<SandboxConfig> seen = new AtomicReference<>();
        CliRun run = new CliRun();
        run.env = env;
        run.probe = config -> {
            seen.set(config);
            return new HostReport(List.of(), PrivilegeMode.ROOT);
        };
        String[] args = new String[flags.length + 1];
        args[0] = "doctor";
        System.arraycopy(flags, 0, args, 1, flags.length);
        run.execute(args);
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        return seen.get();
    }

    /** The gateway's configuration as {@code sandq gateway ARGS} parses it with {@code env}; nothing is started. */
    static dev.sandq.gateway.GatewayConfig gatewayConfig(Map<String, String> env, String... args) {
        Main main = new Main(config -> {
            throw new AssertionError("no sandbox");
        }, config -> {
            throw new AssertionError("no probe");
        }, Clock.systemUTC(), env, new ByteArrayInputStream(new byte[0]));
        picocli.CommandLine cli = Main.commandLine(main, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), List.of());
        String[] all = new String[args.length + 1];
        all[0] = "gateway";
        System.arraycopy(args, 0, all, 1, args.length);
        picocli.CommandLine.ParseResult parsed = cli.parseArgs(all);
        return ((GatewayCommand) parsed.subcommand().commandSpec().userObject()).config();
    }

    CliRun execute(String... args) {
        StringWriter outText = new StringWriter();
        StringWriter errText = new StringWriter();
        Main main = new Main(this::createSandbox, probe, Clock.fixed(NOW, ZoneOffset.UTC), env,
                new ByteArrayInputStream(stdin));
        exitCode = Main.commandLine(main, new PrintWriter(outText, true), new PrintWriter(errText, true), providers)
                .execute(args);
        out = outText.toString();
        err = errText.toString();
        return this;
    }

    private Sandbox createSandbox(SandboxConfig config) throws SandboxUnavailableException {
        configs.add(config);
        if (unavailable != null) {
            throw unavailable;
        }
        return new Sandbox() {
            @Override
            public Result run(Job job) {
                jobs.add(job);
                return result;
            }

            @Override
            public int slots() {
                return config.slots();
            }

            @Override
            public int busySlots() {
                return 0;
            }

            @Override
            public void close() {
            }
        };
    }

    Job onlyJob() {
        if (jobs.size() != 1) {
            throw new AssertionError("expected one job to run, got " + jobs.size() + "; stderr: " + err);
        }
        return jobs.get(0);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
