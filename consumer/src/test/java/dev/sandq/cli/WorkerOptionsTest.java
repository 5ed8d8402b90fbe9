package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    @Test
    void prefetchIsAsManyAsTheSlotsUnlessGiven() {
        assertEquals(3, parse().config("localhost:9092", 3).prefetch());
        assertEquals(0, parse("--prefetch", "0").config("localhost:9092", 3).prefetch());
        assertEquals(5, parse("--prefetch", "5").config("localhost:9092", 3).prefetch());
    }

    @Test
    void aNegativePrefetchIsRefusedWithItsValue() {
        var e = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--prefetch", "-1").config("localhost:9092", 2));
        assertTrue(e.getMessage().contains("prefetch must be between 0 and 10000, got -1"), e.getMessage());
    }

    @Test
    void queueModeRefusesMoreLanesThanItsLimit() {
        var e = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--delivery", "queue", "--prefetch", "300").config("localhost:9092", 2));
        assertTrue(e.getMessage().contains("slots + prefetch must be at most 256, got 2 + 300"), e.getMessage());
        assertEquals(300, parse("--prefetch", "300").config("localhost:9092", 2).prefetch(),
                "the consumer-group modes open no consumer per prefetched job");
    }
}
