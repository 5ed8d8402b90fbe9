package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Fast
class MainTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "exec", "policy", "policy show", "doctor"})
    void helpExitsZeroForEveryCommand(String command) {
        String[] args = (command + " --help").trim().split(" ");
        CliRun run = new CliRun().execute(args);
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertTrue(run.out.startsWith("Usage: sandq"), run::toString);
        assertEquals("", run.err, run::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "exec", "policy", "policy show", "doctor"})
    void versionExitsZeroForEveryCommand(String command) {
        CliRun run = new CliRun().execute((command + " --version").trim().split(" "));
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertTrue(run.out.startsWith("sandq "), run::toString);
    }

    @Test
    void helpSubcommandShowsTheCommandsUsage() {
        CliRun run = new CliRun().execute("help", "exec");
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertTrue(run.out.startsWith("Usage: sandq exec"), run::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--bogus", "frobnicate", "policy", "policy show", "policy show cobol",
        "exec --bogus", "exec --timeout-ms soon x.py", "doctor --privilege-mode superuser", "doctor extra"})
    void badUsageExitsTwoWithAMessageOnStderr(String args) {
        CliRun run = new CliRun().execute(args.isEmpty() ? new String[0] : args.split(" "));
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertEquals("", run.out, run::toString);
        assertTrue(run.err.contains("--help' for more information"), run::toString);
    }

    @Test
    void helpAndVersionAreNeverTakenFromTheEnvironment() {
        CliRun run = new CliRun();
        run.env = java.util.Map.of("SANDQ_HELP", "true", "SANDQ_VERSION", "true");
        run.execute("policy", "show", "python3");
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertTrue(!run.out.startsWith("Usage:") && !run.out.startsWith("sandq "), run::toString);
    }

    @Test
    void environmentVariableNamesFollowTheLongOptionName() {
        picocli.CommandLine.Model.OptionSpec option = picocli.CommandLine.Model.OptionSpec
                .builder("-p", "--privilege-mode").type(String.class).build();
        assertEquals("SANDQ_PRIVILEGE_MODE", EnvironmentDefaults.variableFor(option));
    }

    @Test
    void unknownCommandSuggestsTheClosestOne() {
        CliRun run = new CliRun().execute("exce");
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertTrue(run.err.contains("exec"), run::toString);
    }

    // --- development commands: provided at run time (devkit), absent from the production jar

    @Test
    void consumersTestsRunTheProductionCliWithoutCommandProviders() {
        assertEquals(List.of(), Main.installedProviders(), "consumer must not depend on devkit");
    }

    @Test
    void helpListsNoDevelopmentCommandWhereNoneIsInstalled() {
        CliRun run = new CliRun().execute("--help");
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertTrue(run.out.contains("\n  worker "), run::toString);
        for (String command : Main.DEVELOPMENT_COMMANDS.keySet()) {
            assertFalse(run.out.contains("\n  " + command + " "), command + " is listed\n" + run);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"up", "up --port 0 --data-dir /tmp/none", "up --help", "up --version"})
    void upWhereItIsNotInstalledSaysWhatToUseInsteadAndExitsTwo(String args) {
        CliRun run = new CliRun().execute(args.split(" "));
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertEquals("", run.out, run::toString);
        assertTrue(run.err.startsWith("sandq: `up` is a development command: it is not in this distribution; "
                + "use `sandq worker --bootstrap-servers HOST:PORT`"), run::toString);
        assertTrue(run.configs.isEmpty(), "no sandbox was built");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bench", "bench-sandbox", "bench-gateway"})
    void aBenchmarkWhereItIsNotInstalledSaysWhereToRunIt(String command) {
        CliRun run = new CliRun().execute(command, "--jobs", "10");
        assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
        assertTrue(run.err.contains("`" + command + "` is a development command: it is not in this distribution; "
                + "run it from a source checkout of sandq: ./sandq " + command), run::toString);
    }

    @Test
    void aProvidersCommandsAreListedAndRunAndTakeThePlaceOfTheStandIns() {
        CliRun run = new CliRun();
        run.providers = List.of(() -> List.of(new Greet()));
        run.execute("up", "--name", "dev");
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertEquals("hello dev\n", run.out, run::toString);
        CliRun help = new CliRun();
        help.providers = run.providers;
        help.execute("--help");
        assertTrue(help.out.contains("\n  up "), help::toString);
        assertTrue(help.out.indexOf("\n  up ") < help.out.indexOf("\n  help "), "help stays last: " + help);
    }

    /** A development command as a provider gives it. */
    @Command(name = "up", mixinStandardHelpOptions = true, description = "Says hello.")
    static final class Greet implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--name", defaultValue = "world")
        String name;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println("hello " + name);
            return ExitCodes.OK;
        }
    }
}
