package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.HostReport;
import dev.sandq.executor.PrivilegeMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DoctorCommandTest {

    @Test
    void hostThatCanIsolateExitsZeroAndNamesTheMode() {
        CliRun run = new CliRun();
        run.probe = config -> new HostReport(List.of(
                new HostReport.Check("user namespaces", true, "kernel allows unprivileged user namespaces"),
                new HostReport.Check("cgroup v2", false, "memory controller not delegated")), PrivilegeMode.USERNS);
        run.execute("doctor");
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        assertTrue(run.out.contains("ok   user namespaces  kernel allows unprivileged user namespaces"), run::toString);
        assertTrue(run.out.contains("FAIL cgroup v2"), run::toString);
        assertTrue(run.out.contains("privilege mode: userns"), run::toString);
    }

    @Test
    void hostThatCannotIsolateExitsThree() {
        CliRun run = new CliRun();
        run.probe = config -> new HostReport(List.of(
                new HostReport.Check("user namespaces", false, "disabled by kernel.unprivileged_userns_clone=0")), null);
        run.execute("doctor");
        assertEquals(ExitCodes.UNAVAILABLE, run.exitCode, run::toString);
        assertTrue(run.out.contains("cannot isolate jobs"), run::toString);
    }
}
