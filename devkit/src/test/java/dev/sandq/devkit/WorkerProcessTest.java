package dev.sandq.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sandq.testing.Fast;
import java.util.List;
import org.junit.jupiter.api.Test;

@Fast
class WorkerProcessTest {
    /** Port 0x4B90 = 19344 has a listening socket and an established connection; 0x4C08 = 19464 listens on any address. */
    @Test
    void theListeningSocketsOfAPortAreFoundInAProcNetTable() {
        String table = BenchFixtures.read("proc-net-tcp6.txt");
        assertEquals(List.of("4017793"), WorkerProcess.listeningInodes(table, 19344));
        assertEquals(List.of("4017801"), WorkerProcess.listeningInodes(table, 19464));
        assertEquals(List.of(), WorkerProcess.listeningInodes(table, 9092));
    }

    @Test
    void thisJvmIsNotASandqWorker() {
        assertFalse(WorkerProcess.isSandqJvm(ProcessHandle.current().pid()));
    }
}
