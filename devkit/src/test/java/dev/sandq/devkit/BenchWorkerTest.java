package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import dev.sandq.worker.DeliveryMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `sandq bench --delivery`: the workers it starts, and how it prints the modes side by side. */
@Fast
class BenchWorkerTest {

    @Test
    void eachModesWorkerHasTopicsGroupAndPortOfItsOwn() {
        BenchWorker.Target queue = BenchWorker.Target.of(DeliveryMode.QUEUE, "r1", 19464);
        BenchWorker.Target alo = BenchWorker.Target.of(DeliveryMode.AT_LEAST_ONCE, "r1", 19465);
        assertEquals("bench-r1-queue.jobs", queue.topics().jobs());
        assertEquals("bench-r1-at-least-once.jobs", alo.topics().jobs());
        assertEquals("http://127.0.0.1:19464/metrics", queue.metricsUrl());
        List<String> command = BenchWorker.command(Path.of("/java"), List.of("-XX:TieredStopAtLevel=1"), "cp",
                "127.0.0.1:9092", Map.of("linger.ms", "0"), queue, 2);
        assertEquals(List.of("/java", "-XX:TieredStopAtLevel=1", "-cp", "cp", "dev.sandq.cli.Main", "worker", "--bootstrap-servers",
                "127.0.0.1:9092", "--delivery", "queue", "--group", "bench-r1-queue", "--jobs-topic",
                "bench-r1-queue.jobs", "--results-topic", "bench-r1-queue.results", "--dlt-topic",
                "bench-r1-queue.jobs.dlt", "--metrics-port", "19464", "--worker-id", "bench-r1-queue", "--slots", "2",
                "-X", "linger.ms=0"), command);
    }

    @Test
    void sideBySideComparesEachModeWithTheFirstAtTheSameConcurrency() {
        String table = BenchCommand.sideBySide(List.of(
                new BenchCommand.Measured("at-least-once", 1, 100, 9, 20, 10.0),
                new BenchCommand.Measured("at-least-once", 2, 180, 10, 25, 9.0),
                new BenchCommand.Measured("queue", 1, 90, 10, 22, 12.0),
                new BenchCommand.Measured("queue", 2, 198, 10, 24, 9.9)));
        List<String> lines = table.lines().toList();
        assertEquals(5, lines.size(), table);
        assertTrue(lines.get(1).contains("at-least-once") && lines.get(1).contains("x1.00  cpu  10.00 ms/job")
                && lines.get(1).endsWith("x1.00"), table);
        assertTrue(lines.get(3).contains("queue") && lines.get(3).contains("concurrency 1")
                && lines.get(3).contains("x0.90  cpu  12.00 ms/job") && lines.get(3).endsWith("x1.20"), table);
        assertTrue(lines.get(4).contains("concurrency 2") && lines.get(4).contains("x1.10  cpu   9.90 ms/job")
                && lines.get(4).endsWith("x1.10"), table);
    }
}
