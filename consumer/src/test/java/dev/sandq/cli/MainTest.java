package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

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
}
