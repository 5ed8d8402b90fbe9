package dev.sandq.devkit;

import dev.sandq.cli.ExitCodes;
import dev.sandq.cli.Languages;
import dev.sandq.cli.Main;
import dev.sandq.cli.SandboxOptions;
import dev.sandq.executor.Language;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sandq bench-sandbox}: what the sandbox adds to starting a trivial program, per language. */
@Command(
        name = "bench-sandbox",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the trivial program (Python 'pass', an empty Node script) bare, in a sandbox built for it, "
                    + "and in a prestarted sandbox (after a pause, as at an idle slot), in turn in one run, and "
                    + "prints p50/p99 of each and the differences of the medians."
        })
final class BenchSandboxCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Mixin
    SandboxOptions sandboxOptions;

    @Option(names = "--runs", defaultValue = "200", description = "Measured runs per language and variant (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "20", description = "Unmeasured runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--lang", split = ",", converter = Languages.Converter.class,
            description = "Languages to measure (default: python3,nodejs).")
    List<Language> languages = List.of(Language.PYTHON3, Language.NODEJS);

    @Override
    public Integer call() throws SandboxUnavailableException, IOException, InterruptedException {
        SandboxConfig config = sandboxOptions.toConfig(spec.commandLine()).toBuilder().slots(1).build();
        PrintWriter out = spec.commandLine().getOut();
        try (Sandbox cold = main.sandboxes().create(config.toBuilder().prestart(false).build());
                Sandbox prestarted = main.sandboxes().create(config.toBuilder().prestart(true).build())) {
            StartupBenchmark bench = new StartupBenchmark(cold, prestarted, config.interpreters(), out);
            for (Language language : languages) {
                bench.report(bench.measure(language, runs, warmup));
                out.flush();
            }
        }
        return ExitCodes.OK;
    }
}
