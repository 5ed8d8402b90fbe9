package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client (clients/python) runs its own tests with the interpreter the project installs
 * (/usr/bin/python3, with Debian's python3-kafka and python3-zstandard from ops/install-deps --test)
 * against the in-process broker and a real worker with the default topic names.
 */
@Slow
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PythonClientTest {
    @Test
    void thePythonClientsTestsPassAgainstARealWorker() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3");
        OpsRig rig = OpsRig.get();
        Tool.Run run = Tool.run(OpsFiles.path("clients/python"), Map.of("SANDQ_BOOTSTRAP", rig.bootstrap()), 180,
                "/usr/bin/python3", "-m", "unittest", "discover", "-v", "-s", "tests");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("\nOK"), run.output());
        // every test ran: none skipped, none expected to fail
        assertFalse(run.output().contains("skipped") || run.output().contains("expected failure"), run.output());
        assertTrue(run.output().matches("(?s).*test_run_many_yields_every_result_and_reports_progress \\([^)]*\\) \\.\\.\\. ok\n.*"),
                run.output());
    }

    @Test
    void thePythonClientBuildsAsAWheelOffline(@TempDir Path wheels) throws Exception {
        // pip and setuptools come with Debian's python3-pip (ops/install-deps); the wheel is what `pip install` builds
        Tool.Run run = Tool.run(OpsFiles.path("clients/python"), Map.of("PIP_NO_INDEX", "1"), 120,
                "/usr/bin/python3", "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                "-w", wheels.toString(), ".");
        assertEquals(0, run.exitCode(), run.output());
        try (var files = Files.list(wheels)) {
            assertEquals(List.of("sandq_client-0.1.0-py3-none-any.whl"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
