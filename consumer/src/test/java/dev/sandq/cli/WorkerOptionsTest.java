package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The worker's own flags as picocli parses them. */
@Fast
class WorkerOptionsTest {

    private static WorkerCommand parse(String... args) {
        WorkerCommand worker = new WorkerCommand();
        new CommandLine(worker).parseArgs(args);
        return worker;
    }

    @Test
    void prestartIsOnByDefaultAndNoPrestartTurnsItOff() {
        assertTrue(parse().prestart);
        assertTrue(parse("--prestart").prestart);
        assertFalse(parse("--no-prestart").prestart);
    }
}
