package dev.sandq.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The generated parts of docs/configuration.md, from picocli's model of the CLI. Options that
 * several commands share come from picocli mixins (Kafka, sandbox, packages directory): each such
 * group is described once, in a section of its own; each command lists the groups it takes and
 * describes only its own options. A command that mixes in another command (devkit's {@code up}
 * takes {@code worker}'s options) links to that command's table.
 *
 * <p>The shared groups are the production CLI's: the mixin classes that two or more of its
 * commands take. Public for devkit's tests, which describe the development commands with them.
 */
public final class ConfigurationReference {
    /** The page, from the repository's root. */
    public static final String PAGE = "docs/configuration.md";

    /**
     * Heading and one sentence of each shared group, by the class of the mixin that declares it, in
     * the page's order.
     */
    private static final Map<String, String[]> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("dev.sandq.cli.KafkaOptions", new String[] {"Kafka options",
            "Where the Kafka cluster is, the client properties (see [`-X`](#kafka-client-properties--x)) and the topic "
                    + "names: every command that talks to Kafka takes them."});
        GROUPS.put("dev.sandq.cli.SandboxOptions", new String[] {"Sandbox options",
            "How jobs are isolated and what they may use: every command that builds a sandbox takes them."});
        GROUPS.put("dev.sandq.cli.LimitOptions", new String[] {"Job limits",
            "What a job gets when it asks for nothing (`--default-*`), the most it may ask for (`--max-*`: a request "
                    + "above is cut to it), and the largest code and input it may carry: every command that builds "
                    + "a sandbox takes them. `sandq gateway` sets the limits of Dify's jobs with options of its own."});
        GROUPS.put("dev.sandq.cli.FileOptions", new String[] {"Job files",
            "Files sent with one job and where the files it returns are written: `sandq exec` and `sandq submit` take "
                    + "them."});
        GROUPS.put("dev.sandq.cli.PackagesDirOption", new String[] {"Packages directory",
            "Where the operator's extra packages are (`sandq deps`): the sandbox commands and `sandq deps` take it."});
    }

    private final CliOptions production;
    /** The shared groups' mixin classes, in the order of {@link #GROUPS}. */
    private final List<Class<?>> shared;
    /** The production commands' classes, to link a command mixed into another one. */
    private final Map<Class<?>, String> commandClasses = new LinkedHashMap<>();

    private ConfigurationReference(CliOptions production) {
        this.production = production;
        Map<Class<?>, Integer> takenBy = new LinkedHashMap<>();
        for (String path : production.commands()) {
            CommandSpec spec = production.command(path).getCommandSpec();
            commandClasses.put(spec.userObject().getClass(), path);
            new LinkedHashSet<>(owners(spec).values()).stream().filter(c -> c != spec.userObject().getClass())
                    .forEach(c -> takenBy.merge(c, 1, Integer::sum));
        }
        List<Class<?>> groups = takenBy.entrySet().stream().filter(e -> e.getValue() >= 2).map(Map.Entry::getKey)
                .toList();
        for (Class<?> group : groups) {
            if (!GROUPS.containsKey(group.getName())) {
                throw new AssertionError("the options of " + group.getName() + " are shared by several commands: "
                        + "give the group a heading and a sentence in ConfigurationReference.GROUPS");
            }
        }
        List<String> order = List.copyOf(GROUPS.keySet());
        this.shared = groups.stream().sorted(Comparator.comparingInt(c -> order.indexOf(c.getName()))).toList();
    }

    /** The reference of the production CLI's shared groups. */
    public static ConfigurationReference of(CliOptions production) {
        return new ConfigurationReference(production);
    }

    /** One section per shared group: its heading, one sentence, and its options' table. */
    public String sharedGroups() {
        StringBuilder sb = new StringBuilder();
        for (Class<?> group : shared) {
            String[] heading = GROUPS.get(group.getName());
            String example = firstCommandTaking(group);
            List<OptionSpec> options = options(production, example).stream()
                    .filter(o -> owners(production.command(example).getCommandSpec()).get(o.longestName()) == group)
                    .toList();
            sb.append("\n### ").append(heading[0]).append("\n\n").append(heading[1]).append("\n\n")
                    .append(table(production, example, options));
        }
        return sb.append('\n').toString();
    }

    /**
     * One section per command of {@code cli} (the production CLI, or it with devkit's commands):
     * what it does, its usage line, the shared groups it takes, and its own options. Commands that
     * only group others ({@code topics}, {@code deps}) are left out.
     */
    public String commands(CliOptions cli, List<String> paths) {
        StringBuilder sb = new StringBuilder();
        for (String path : paths) {
            CommandSpec spec = cli.command(path).getCommandSpec();
            List<OptionSpec> all = options(cli, path);
            if (all.isEmpty() && spec.positionalParameters().isEmpty() && !spec.subcommands().isEmpty()) {
                continue;
            }
            Map<String, Class<?>> owners = owners(spec);
            List<String> takes = new ArrayList<>();
            List<OptionSpec> own = new ArrayList<>();
            for (OptionSpec o : all) {
                Class<?> owner = owners.get(o.longestName());
                String taken = null;
                if (shared.contains(owner)) {
                    String title = GROUPS.get(owner.getName())[0];
                    taken = "[" + title + "](#" + anchor(title) + ")";
                } else if (owner != spec.userObject().getClass() && commandClasses.containsKey(owner)) {
                    String other = "`sandq " + commandClasses.get(owner) + "`";
                    taken = "the options of [" + other + "](#" + anchor(other) + ")";
                }
                if (taken == null) {
                    own.add(o);
                } else if (!takes.contains(taken)) {
                    takes.add(taken);
                }
            }
            sb.append("\n### `sandq ").append(path).append("`\n\n")
                    .append(String.join(" ", spec.usageMessage().description())).append("\n\n")
                    .append("```\n").append(usage(path, spec)).append("\n```\n\n");
            if (!takes.isEmpty()) {
                sb.append("Shared options: ").append(String.join(", ", takes)).append(".\n\n");
            }
            if (own.isEmpty()) {
                sb.append("No options of its own.\n");
            } else {
                sb.append(takes.isEmpty() ? "Options:" : "Its own options:").append("\n\n").append(table(cli, path, own));
            }
        }
        return sb.append('\n').toString();
    }

    /** GitHub's anchor of a heading: lower case, punctuation but - and _ dropped, spaces as -. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private String firstCommandTaking(Class<?> group) {
        return production.commands().stream()
                .filter(p -> owners(production.command(p).getCommandSpec()).containsValue(group))
                .findFirst().orElseThrow();
    }

    /** The options a user sets (help and version excepted), as declared. */
    private static List<OptionSpec> options(CliOptions cli, String path) {
        return cli.command(path).getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp()).toList();
    }

    /**
     * Which class declares each option of {@code spec}, by its longest name: the innermost mixin
     * that has it, else the command's own class.
     */
    private static Map<String, Class<?>> owners(CommandSpec spec) {
        Map<String, Class<?>> owners = new LinkedHashMap<>();
        spec.options().forEach(o -> owners.put(o.longestName(), spec.userObject().getClass()));
        assignMixins(spec, owners);
        return owners;
    }

    private static void assignMixins(CommandSpec spec, Map<String, Class<?>> owners) {
        for (CommandSpec mixin : spec.mixins().values()) {
            Class<?> type = mixin.userObject().getClass();
            if (type.getName().startsWith("picocli.")) {
                continue; // --help and --version
            }
            mixin.options().forEach(o -> owners.put(o.longestName(), type));
            assignMixins(mixin, owners);
        }
    }

    /** The table of these options of {@code path}: option, environment variable, default, meaning. */
    private static String table(CliOptions cli, String path, List<OptionSpec> options) {
        Map<String, CliOptions.Key> keys = cli.keys(path).stream()
                .collect(Collectors.toMap(CliOptions.Key::flag, k -> k));
        StringBuilder sb = new StringBuilder("| option | environment variable | default | meaning |\n|---|---|---|---|\n");
        for (OptionSpec o : options) {
            CliOptions.Key k = keys.get(o.longestName());
            String variable = k.variable().isEmpty() ? ""
                    : "`" + k.variable() + "`" + (",".equals(o.splitRegex()) ? " (a comma-separated list)" : "");
            sb.append("| ").append(cell(flag(o))).append(" | ").append(variable).append(" | ")
                    .append(k.defaultValue().isEmpty() ? "" : cell("`" + k.defaultValue() + "`")).append(" | ")
                    .append(cell(k.description())).append(" |\n");
        }
        return sb.toString();
    }

    /** {@code `-X`, `--kafka-property KEY=VALUE`}; {@code `--[no-]prestart`} for a negatable flag. */
    private static String flag(OptionSpec o) {
        List<String> names = new ArrayList<>(List.of(o.names()));
        String longest = o.longestName();
        names.remove(longest);
        String shown = o.negatable() ? longest.replaceFirst("^--", "--[no-]") : longest;
        String label = o.paramLabel();
        if (o.arity().max() > 0 && label != null && !label.startsWith("<")) {
            shown += " " + label;
        }
        List<String> all = new ArrayList<>();
        names.forEach(n -> all.add("`" + n + "`"));
        all.add("`" + shown + "`");
        return String.join(", ", all);
    }

    private static String usage(String path, CommandSpec spec) {
        StringBuilder sb = new StringBuilder("sandq ").append(path).append(" [OPTIONS]");
        for (PositionalParamSpec p : spec.positionalParameters()) {
            String label = p.paramLabel();
            sb.append(' ').append(p.arity().min() == 0 ? "[" + label + "]" : label);
        }
        return sb.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

}
