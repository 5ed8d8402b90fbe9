package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.HostReport;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Fast;
import java.util.List;
import org.junit.jupiter.api.Test;

@Fast
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

    @Test
    void doctorSaysTheNetworkIsOffByDefault() {
        CliRun run = new CliRun();
        run.probe = LocalSandbox::probeHost;
        run.execute("doctor");
        assertTrue(run.out.contains("network") && run.out.contains("not allowed: jobs with enable_network are rejected"),
                run::toString);
    }

    @Test
    void doctorNamesTheEgressPathAndRangesWhenTheNetworkIsAllowed() {
        CliRun run = new CliRun();
        run.probe = LocalSandbox::probeHost;
        run.execute("doctor", "--allow-network", "--egress-deny", "198.51.100.0/24", "--egress-allow", "10.1.2.3/32");
        assertTrue(run.out.contains("allowed, only through the worker's egress proxy"), run::toString);
        assertTrue(run.out.contains("127.0.0.1:3128"), run::toString);
        assertTrue(run.out.contains("refused: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7, "
                + "198.51.100.0/24; except: 10.1.2.3/32"), run::toString);
        assertTrue(run.out.contains("connects to that address itself"), run::toString);
    }

    @Test
    void doctorNamesTheUpstreamProxyWhenOneIsSet() {
        CliRun run = new CliRun();
        run.probe = LocalSandbox::probeHost;
        run.execute("doctor", "--allow-network", "--egress-proxy", "http://proxy:3128");
        assertTrue(run.out.contains("goes out through the upstream proxy http://proxy:3128"), run::toString);
        CliRun unused = new CliRun();
        unused.probe = LocalSandbox::probeHost;
        unused.execute("doctor", "--egress-proxy", "http://proxy:3128");
        assertTrue(unused.out.contains("(--egress-proxy http://proxy:3128 is unused)"), unused::toString);
    }
}
