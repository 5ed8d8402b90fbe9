package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Slow
@Timeout(60)
class WorkerMemoryTest {
    @Test
    void heapUsedIsTheSumOfTheUsedColumnsOfJstatGc() {
        String jstat = """
                 S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU   YGC     YGCT    FGC    FGCT     CGC    CGCT     GCT
                  0.0   2048.0  0.0   1024.5  30720.0   2048.0   230400.0    10000.0  40000.0 39000.0 5000.0 4500.0     10    0.050     1    0.020     2    0.001    0.071
                """;
        assertEquals(1024.5 + 2048.0 + 10000.0, WorkerMemory.heapUsedKb(jstat), 1e-9);
    }

    @Test
    void unexpectedJstatOutputIsAnErrorNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerMemory.heapUsedKb("12345 not found\n"));
        assertTrue(e.getMessage().contains("12345 not found"), e.getMessage());
    }

    @Test
    void samplesThisJvm() {
        String line = new WorkerMemory(ProcessHandle.current().pid()).sample(7);
        assertTrue(line.matches("memory after 7 jobs: heap used after GC [0-9.]+ MiB, RSS [0-9.]+ MiB, [0-9]+ open fds"),
                line);
        long fds = Long.parseLong(line.replaceAll(".*, ([0-9]+) open fds", "$1"));
        assertTrue(fds >= 3, "at least stdin, stdout and stderr: " + line);
    }
}
