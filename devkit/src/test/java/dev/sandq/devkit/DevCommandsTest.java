package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.cli.Main;
import dev.sandq.testing.Fast;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** How the CLI finds devkit's commands, and what the production CLI knows of them. */
@Fast
class DevCommandsTest {

    private static CommandLine cli(List<dev.sandq.cli.CommandProvider> providers) {
        return Main.commandLine(Main.forHost(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                providers);
    }

    private static Set<String> devkitCommands() {
        Set<String> names = new TreeSet<>();
        new DevCommands().commands().forEach(c -> names.add(new CommandLine(c).getCommandName()));
        return names;
    }

    @Test
    void theCliFindsDevkitOnTheClassPath() {
        assertEquals(List.of(DevCommands.class), Main.installedProviders().stream().map(Object::getClass).toList());
        Map<String, CommandLine> commands = cli(Main.installedProviders()).getSubcommands();
        for (String name : devkitCommands()) {
            assertTrue(commands.containsKey(name), name);
            assertFalse(commands.get(name).getCommandSpec().usageMessage().hidden(), name + " is listed in --help");
        }
        assertEquals(Set.of("up", "bench", "bench-sandbox", "bench-gateway", "bench-kafka"), devkitCommands());
    }

    @Test
    void withDevkitNoStandInIsLeft() {
        cli(List.of(new DevCommands())).getSubcommands().forEach((name, cmd) ->
                assertFalse(cmd.getCommandSpec().usageMessage().hidden(), name + " is still a stand-in"));
    }

    @Test
    void withoutDevkitEachOfItsCommandsIsAHiddenStandInThatSaysSo() {
        for (String name : devkitCommands()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine production = Main.commandLine(Main.forHost(), new PrintWriter(out), new PrintWriter(err),
                    List.of());
            CommandLine standIn = production.getSubcommands().get(name);
            assertTrue(standIn != null && standIn.getCommandSpec().usageMessage().hidden(),
                    "the production CLI knows `" + name + "` is a development command");
            assertEquals(2, production.execute(name), name + ": " + err);
            assertEquals("", out.toString());
            assertTrue(err.toString().contains("`" + name + "` is a development command: it is not in this distribution"),
                    err.toString());
        }
    }
}
