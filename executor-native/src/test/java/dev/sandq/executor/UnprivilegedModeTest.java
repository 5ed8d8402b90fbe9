package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.executor.testing.UnprivilegedJvm;
import dev.sandq.testing.Slow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The unprivileged privilege mode, for real: a separate JVM running as an unprivileged uid builds
 * its sandboxes with user namespaces. Needs root to switch user (CI runs as root). The whole
 * security corpus runs that way too: {@code CorpusAsUnprivilegedUserTest}.
 */
@Slow
@Timeout(value = 4, unit = TimeUnit.MINUTES) // above the runner's own 120 s, which shows what it printed
class UnprivilegedModeTest {

    @Test
    void jobsRunIsolatedAsAnUnprivilegedUser() throws Exception {
        try (UnprivilegedJvm jvm = UnprivilegedJvm.prepare()) {
            UnprivilegedJvm.Output run = jvm.run(UnprivilegedRunner.class, List.of(), 120);
            String output = run.stdout();
            assertEquals(0, run.exitCode(), "unprivileged runner failed; it printed:\n" + output);
            Map<String, String> lines = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                String[] parts = line.split(" ", 2);
                lines.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
            assertEquals("ok 1000 [1]", lines.get("python-ok"), output);
            assertEquals("ok 1000 [1]", lines.get("node-ok"), output);
            assertEquals("timeout", lines.get("timeout").strip(), output);
            assertEquals("memory_limit", lines.get("memory").strip(), output);
            assertEquals("syscall_denied", lines.get("ptrace").strip(), output);
            assertEquals("error", lines.get("shadow").strip(), output);
            assertEquals("timeout", lines.get("fork-bomb").strip(), output);
        }
    }
}
