package dev.sandq.ops;

import dev.sandq.cli.CommandProvider;
import dev.sandq.cli.Main;
import dev.sandq.executor.local.LocalSandbox;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * The configuration keys of the {@code sandq} CLI, read from picocli's model of
 * {@link Main} as the program builds it: each option's flag, the environment variable the
 * program really reads for it (asked of the program's own default provider), and its default.
 * Hidden commands (the stand-ins for development commands a distribution lacks) are not there.
 * Public for devkit's tests, which load it with devkit's commands.
 */
public final class CliOptions {
    /** One key of one command. */
    public record Key(String command, String flag, String variable, String defaultValue, String description) {
    }

    private final CommandLine cli;

    private CliOptions(CommandLine cli) {
        this.cli = cli;
    }

    /** The production CLI, as the jar in the image has it: no development commands. */
    public static CliOptions production() {
        return load(List.of());
    }

    /** The CLI with these command providers' commands (devkit's, in its tests). */
    public static CliOptions load(List<CommandProvider> providers) {
        // Every plausible SANDQ_* name is set to itself: the provider answers with the one it reads.
        Map<String, String> env = new LinkedHashMap<>();
        CommandLine probe = Main.commandLine(Main.forHost(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), providers);
        collectCandidates(probe, env);
        Main main = new Main(LocalSandbox::create, LocalSandbox::probeHost, Clock.systemUTC(), env,
                InputStream.nullInputStream());
        return new CliOptions(Main.commandLine(main, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), providers));
    }

    private static void collectCandidates(CommandLine cmd, Map<String, String> env) {
        for (OptionSpec o : cmd.getCommandSpec().options()) {
            String name = "SANDQ_" + o.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
            env.put(name, name);
        }
        cmd.getSubcommands().values().forEach(sub -> collectCandidates(sub, env));
    }

    /** A subcommand by its path, e.g. "worker" or "topics apply". */
    public CommandLine command(String path) {
        CommandLine cmd = cli;
        for (String name : path.split(" ")) {
            CommandLine sub = cmd.getSubcommands().get(name);
            if (sub == null || sub.getCommandSpec().usageMessage().hidden()) {
                throw new AssertionError("sandq has no subcommand '" + path + "': "
                        + cmd.getCommandSpec().qualifiedName() + " has " + cmd.getSubcommands().keySet());
            }
            cmd = sub;
        }
        return cmd;
    }

    public List<Key> keys(String command) {
        CommandSpec spec = command(command).getCommandSpec();
        spec.interpolateVariables(false); // defaults as written: ${env:X:-D}, not this JVM's environment
        return spec.options().stream().filter(o -> !o.usageHelp() && !o.versionHelp())
                .map(o -> new Key(command, o.longestName(), variable(spec, o).orElse(""), defaultOf(o),
                        describe(spec, o)))
                .toList();
    }

    /** Every subcommand path, depth first ("topics", "topics apply", ...), help and hidden ones excepted. */
    public List<String> commands() {
        List<String> paths = new java.util.ArrayList<>();
        collect(cli, "", paths);
        return paths;
    }

    private static void collect(CommandLine cmd, String prefix, List<String> paths) {
        for (var e : cmd.getSubcommands().entrySet()) {
            if (e.getKey().equals("help") || e.getValue().getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            String path = prefix.isEmpty() ? e.getKey() : prefix + " " + e.getKey();
            paths.add(path);
            collect(e.getValue(), path, paths);
        }
    }

    private static String describe(CommandSpec spec, OptionSpec o) {
        // picocli fills ${DEFAULT-VALUE} in --help; the table shows the annotation's own default
        String text = String.join(" ", o.description()).replace("${DEFAULT-VALUE}", defaultOf(o));
        String provider = variable(spec, o).orElse("");
        List<String> others = annotationVariables(o).stream().filter(v -> !v.equals(provider)).toList();
        return others.isEmpty() ? text : (text + " Also read from " + String.join(", ", others) + ".").trim();
    }

    private static Optional<String> variable(CommandSpec spec, OptionSpec o) {
        try {
            return Optional.ofNullable(spec.defaultValueProvider().defaultValue(o));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The annotation's default, uninterpolated: {@code ${env:X:-D}} → D, {@code ${env:X}} → "". */
    private static String defaultOf(OptionSpec o) {
        String raw = o.defaultValue();
        if (raw == null) {
            return "";
        }
        String fallback = raw.replaceAll("\\$\\{env:[A-Z_]+:-([^}]*)}", "$1").replaceAll("\\$\\{env:[A-Z_]+}", "");
        return fallback;
    }

    /** The environment variables the annotation itself names (may differ from the provider's). */
    static List<String> annotationVariables(OptionSpec o) {
        String raw = o.defaultValue();
        if (raw == null) {
            return List.of();
        }
        return java.util.regex.Pattern.compile("\\$\\{env:([A-Z_]+)").matcher(raw).results()
                .map(m -> m.group(1)).toList();
    }
}
