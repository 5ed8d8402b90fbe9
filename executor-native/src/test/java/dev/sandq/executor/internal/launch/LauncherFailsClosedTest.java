package dev.sandq.executor.internal.launch;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/** The launcher refuses to run anything when a step fails, and names the step. */
@Slow
@Timeout(60)
class LauncherFailsClosedTest {
    @TempDir
    Path dir;

    private record Run(int exit, String status, String stderr) {
    }

    private Run launch(List<String> options, String... program) throws IOException, InterruptedException {
        Path bpf = dir.resolve("policy.bpf");
        Files.write(bpf, SeccompPolicies.load(Language.PYTHON3, false, List.of()).compileBpf());
        Path status = dir.resolve("status.json");
        List<String> argv = new ArrayList<>(List.of(System.getProperty("sandq.launcher"),
                "--status-file", status.toString(), "--seccomp-file", bpf.toString(),
                "--uid", "61000", "--gid", "61000", "--wall-ms", "2000",
                "--ro-bind", "/usr/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu",
                "--symlink", "usr/lib64:/lib64", "--ro-bind-try", "/usr/lib64:/usr/lib64"));
        argv.addAll(options);
        argv.add("--");
        argv.addAll(List.of(program));
        Process p = new ProcessBuilder(argv).start();
        String stderr = new String(p.getErrorStream().readAllBytes());
        int exit = p.waitFor();
        return new Run(exit, Files.exists(status) ? Files.readString(status) : "", stderr);
    }

    @Test
    void missingBindSourceIsASetupErrorNamingTheStep() throws Exception {
        Run run = launch(List.of("--ro-bind", "/no/such/dir:/x"), "/usr/bin/python3", "-c", "pass");
        LauncherStatus status = LauncherStatus.parse(run.status());
        assertAll(
                () -> assertEquals(1, run.exit()),
                () -> assertNotNull(status.setupError()),
                () -> assertTrue(status.setupError().contains("stat bind source /no/such/dir"), status.setupError()),
                () -> assertEquals(-1, status.exitCode()));
    }

    @Test
    void programMissingInsideTheSandboxIsASetupErrorNotAnExitCode() throws Exception {
        Run run = launch(List.of(), "/usr/bin/python3", "-c", "pass");
        LauncherStatus status = LauncherStatus.parse(run.status());
        assertAll(
                () -> assertEquals(1, run.exit()),
                () -> assertTrue(status.setupError().startsWith("execve /usr/bin/python3"), status.setupError()));
    }

    @Test
    void rootAsTheJobUidIsRefusedAsBadUsage() throws Exception {
        Run run = launch(List.of("--uid", "0"), "/usr/bin/python3");
        assertAll(
                () -> assertEquals(2, run.exit()),
                () -> assertTrue(run.stderr().contains("must not be 0"), run.stderr()));
    }

    @Test
    void deviceBindOfAnythingButTheHarmlessDevicesIsRefused() throws Exception {
        Run run = launch(List.of("--dev-bind", "/dev/mem:/dev/mem"), "/usr/bin/python3");
        LauncherStatus status = LauncherStatus.parse(run.status());
        assertTrue(status.setupError().contains("refusing --dev-bind of /dev/mem"), status.setupError());
    }
}
