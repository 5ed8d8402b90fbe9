package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.testing.Fast;
import dev.sandq.worker.DeliveryMode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How many partitions `sandq up` gives the topics it creates, by delivery mode. */
@Fast
class UpPartitionsTest {

    private static UpCommand parsed(String... args) {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs(args);
        return up;
    }

    @Test
    void theConsumerGroupModesGetFourAndQueueModeOne() {
        assertEquals(4, parsed().partitions(DeliveryMode.AT_LEAST_ONCE));
        assertEquals(4, parsed().partitions(DeliveryMode.EXACTLY_ONCE));
        assertEquals(1, parsed().partitions(DeliveryMode.QUEUE));
    }

    @Test
    void partitionsGivenAreKeptInEveryMode() {
        assertEquals(6, parsed("--partitions", "6").partitions(DeliveryMode.QUEUE));
        assertEquals(2, parsed("--partitions", "2").partitions(DeliveryMode.AT_LEAST_ONCE));
    }
}
