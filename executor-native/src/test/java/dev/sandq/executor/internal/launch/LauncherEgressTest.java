package dev.sandq.executor.internal.launch;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.seccomp.SeccompPolicies;
import dev.sandq.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's network options: the host's network cannot be asked for, and a bad egress socket fails closed. */
@Slow
@Timeout(60)
class LauncherEgressTest {
    @TempDir
    Path dir;

    private record Run(int exit, String status, String stdout, String stderr) {
    }

    private Run launch(List<String> options, String... program) throws IOException, InterruptedException {
        Path bpf = dir.resolve("policy.bpf");
        Files.write(bpf, SeccompPolicies.load(Language.PYTHON3, true, List.of()).compileBpf());
        Path status = dir.resolve("status.json");
        List<String> argv = new ArrayList<>(List.of(System.getProperty("sandq.launcher"),
                "--status-file", status.toString(), "--seccomp-file", bpf.toString(),
                "--uid", "61000", "--gid", "61000", "--wall-ms", "5000",
                "--ro-bind", "/usr:/usr", "--symlink", "usr/lib:/lib", "--symlink", "usr/lib64:/lib64"));
        argv.addAll(options);
        argv.add("--");
        argv.addAll(List.of(program));
        Process p = new ProcessBuilder(argv).start();
        String stdout = new String(p.getInputStream().readAllBytes());
        String stderr = new String(p.getErrorStream().readAllBytes());
        int exit = p.waitFor();
        return new Run(exit, Files.exists(status) ? Files.readString(status) : "", stdout, stderr);
    }

    @Test
    void theHostsNetworkCannotBeAskedFor() throws Exception {
        Run run = launch(List.of("--network"), "/usr/bin/python3", "-c", "print('ran')");
        assertAll(
                () -> assertEquals(2, run.exit(), run::toString),
                () -> assertTrue(run.stderr().contains("unknown option"), run::toString),
                () -> assertEquals("", run.stdout()));
    }

    @Test
    void anEgressSocketThatIsNotASocketIsASetupErrorAndNothingRuns() throws Exception {
        Path notASocket = Files.writeString(dir.resolve("egress.sock"), "");
        Run run = launch(List.of("--egress-socket", notASocket.toString()), "/usr/bin/python3", "-c", "print('ran')");
        LauncherStatus status = LauncherStatus.parse(run.status());
        assertAll(
                () -> assertEquals(1, run.exit(), run::toString),
                () -> assertTrue(status.setupError().contains("/run/sandq/egress.sock (from --egress-socket "
                        + notASocket + ") is not a socket"), status.setupError()),
                () -> assertEquals("", run.stdout()));
    }

    @Test
    void withoutAnEgressSocketTheJobsLoopbackIsDown() throws Exception {
        Run run = launch(List.of(), "/usr/bin/python3", "-c",
                "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9))\n    print('connected')\n"
                        + "except OSError as e:\n    print('errno', e.errno)");
        assertTrue(run.stdout().contains("errno 101"), run::toString); // ENETUNREACH: lo is down, no route at all
    }
}
