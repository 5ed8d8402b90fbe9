package dev.sandq.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults from the environment: option {@code --some-name} reads {@code SANDQ_SOME_NAME}.
 * Applies to every option of every command (help and version excepted); a repeatable option
 * takes a comma-separated list when its option splits on commas. A flag on the command line wins.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
    static final String PREFIX = "SANDQ_";

    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
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
