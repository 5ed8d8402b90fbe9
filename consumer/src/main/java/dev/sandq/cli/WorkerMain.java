package dev.sandq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A minimal top-level command with the Kafka-facing subcommands only, until they are registered
 * on the main `sandq` command (which also has exec, policy, doctor).
 */
@Command(name = "sandq", mixinStandardHelpOptions = true,
        subcommands = {UpCommand.class, WorkerCommand.class, SubmitCommand.class, TopicsCommand.class,
            BenchCommand.class})
public final class WorkerMain {
    public static void main(String[] args) {
        System.exit(new CommandLine(new WorkerMain()).execute(args));
    }
}
