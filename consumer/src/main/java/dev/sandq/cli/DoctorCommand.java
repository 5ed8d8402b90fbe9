package dev.sandq.cli;

import dev.sandq.executor.HostReport;
import dev.sandq.executor.Language;
import dev.sandq.executor.LaunchPathChoice;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxUnavailableException;
import dev.sandq.executor.local.LocalSandbox;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sandq doctor}: what this host's kernel allows, and the privilege mode jobs will use. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Reports what this host allows (namespaces, seccomp, cgroups, interpreters) and the privilege "
                    + "mode jobs will use.",
            "Exits 0 when the host can isolate jobs as configured, 3 when it cannot."
        })
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Mixin
    SandboxOptions sandboxOptions;

    @Option(names = "--calibrate",
            description = "Also starts a sandbox as the worker would and prints how each language's jobs would "
                    + "start (fresh, prestarted or zygote): the CPU one trivial job costs this host by each path, "
                    + "measured now, and the path chosen.")
    boolean calibrate;

    @Override
    public Integer call() throws SandboxUnavailableException {
        SandboxConfig config = sandboxOptions.toConfig(spec.commandLine());
        HostReport report = main.probeHost(config);
        PrintWriter out = spec.commandLine().getOut();
        print(config, report, out);
        out.flush();
        if (!report.canIsolate()) {
            return ExitCodes.UNAVAILABLE;
        }
        if (calibrate) {
            try (Sandbox sandbox = LocalSandbox.create(config)) {
                out.println();
                printLaunchPaths(sandbox.launchPaths(), out);
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    static void printLaunchPaths(Map<Language, LaunchPathChoice> paths, PrintWriter out) {
        out.println("launch paths:");
        for (Map.Entry<Language, LaunchPathChoice> e : new java.util.TreeMap<>(paths).entrySet()) {
            out.printf("  %-8s %s%n", e.getKey().wireName(), e.getValue().describe());
        }
    }

    static void print(SandboxConfig config, HostReport report, PrintWriter out) {
        out.printf("configuration: %d slot(s), privilege mode %s, cgroup %s, launcher %s%n",
                config.slots(), lower(config.privilegeMode()), config.cgroupMode(),
                config.launcher().map(Object::toString).orElse("(packaged)"));
        for (Map.Entry<Language, java.nio.file.Path> interpreter : new java.util.TreeMap<>(config.interpreters()).entrySet()) {
            out.printf("  %-8s %s%n", interpreter.getKey().wireName(), interpreter.getValue());
        }
        out.println();
        int width = report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (HostReport.Check check : report.checks()) {
            out.printf("%-4s %-" + Math.max(width, 1) + "s  %s%n",
                    check.ok() ? "ok" : "FAIL", check.name(), check.detail() == null ? "" : check.detail());
        }
        out.println();
        if (report.canIsolate()) {
            out.println("This host can isolate jobs; privilege mode: " + lower(report.effectiveMode()) + ".");
        } else {
            out.println("This host cannot isolate jobs as configured: see the FAIL lines above. "
                    + "sandq will refuse to run jobs here.");
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
