package dev.sandq.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Stands in for a development command that this distribution does not carry (no
 * {@link CommandProvider} gave it): hidden from {@code --help}, it takes any arguments, says that
 * the command is not here and what to use instead, and exits 2 (bad usage), as an unknown command
 * would.
 */
final class AbsentCommand implements Callable<Integer> {
    private final String name;
    private final String instead;
    private CommandSpec spec;

    private AbsentCommand(String name, String instead) {
        this.name = name;
        this.instead = instead;
    }

    /** The stand-in's picocli model. */
    static CommandSpec spec(String name, String instead) {
        AbsentCommand command = new AbsentCommand(name, instead);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
        spec.usageMessage().hidden(true).description(command.message());
        spec.parser().unmatchedArgumentsAllowed(true).unmatchedOptionsArePositionalParams(true);
        command.spec = spec;
        return spec;
    }

    String message() {
        return "`" + name + "` is a development command: it is not in this distribution; " + instead;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("sandq: " + message());
        err.println("Try 'sandq --help' for the commands it has.");
        err.flush();
        return spec.exitCodeOnInvalidInput();
    }
}
