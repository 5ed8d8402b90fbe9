package dev.sandq.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults from the environment: option {@code --some-name} reads {@code SANDQ_SOME_NAME}.
 * Applies to every option of every command (help and version excepted); a repeatable option
 * takes a comma-separated list when its option splits on commas. A flag on the command line wins.
 * DifySandbox's own variables fill in the SANDQ_* variables they stand for where those are not
 * set ({@link DifySandboxEnvironment}).
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
    static final String PREFIX = "SANDQ_";

    private final Map<String, String> environment;
    private final List<String> difySandboxNotes;

    EnvironmentDefaults(Map<String, String> environment) {
        DifySandboxEnvironment dify = DifySandboxEnvironment.of(environment);
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.putAll(dify.equivalents());
        this.environment = Map.copyOf(all);
        this.difySandboxNotes = dify.notes();
    }

    /**
     * What was made of DifySandbox's variables, one line each, for the start-up log of the commands
     * they concern (gateway, worker, up); empty when {@code spec}'s command line has no such defaults.
     */
    static List<String> difySandboxNotes(picocli.CommandLine.Model.CommandSpec spec) {
        return spec.defaultValueProvider() instanceof EnvironmentDefaults d ? d.difySandboxNotes : List.of();
    }

    /** {@code --privilege-mode} → {@code SANDQ_PRIVILEGE_MODE}. */
    static String variableFor(OptionSpec option) {
        String name = option.longestName().replaceFirst("^-+", "");
        return PREFIX + name.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String value = environment.get(variableFor(option));
        return value == null || value.isEmpty() ? null : value;
    }
}
