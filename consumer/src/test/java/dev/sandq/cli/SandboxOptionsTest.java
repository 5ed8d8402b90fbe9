package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.egress.UpstreamProxy;
import dev.sandq.modes.JobProgram;
import dev.sandq.testing.Fast;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Fast
class SandboxOptionsTest {

    private static SandboxConfig configOf(Map<String, String> env, String... flags) {
        return CliRun.doctorConfig(env, flags);
    }

    @Test
    void withoutFlagsTheHostDefaultsApply() {
        SandboxConfig config = configOf(Map.of());
        assertEquals(Runtime.getRuntime().availableProcessors(), config.slots());
        assertEquals(PrivilegeMode.AUTO, config.privilegeMode());
        assertEquals(Optional.empty(), config.launcher());
        assertEquals("auto", config.cgroupMode());
        assertEquals(Map.of(), config.extraSyscalls());
        assertEquals(List.of(JobProgram.pythonHarness()), config.precompiledPython(),
                "the Python zygotes compile the function and template harness once, for every such job");
    }

    @Test
    void everyFlagReachesTheConfiguration() {
        SandboxConfig config = configOf(Map.of(), "--slots", "4", "--privilege-mode", "userns",
                "--launcher", "/opt/sandq/launcher", "--python", "/opt/py/bin/python3", "--node", "/opt/node/bin/node",
                "--extra-syscall", "python3:mbind", "--extra-syscall", "nodejs:membarrier", "--cgroup", "v2");
        assertEquals(4, config.slots());
        assertEquals(PrivilegeMode.USERNS, config.privilegeMode());
        assertEquals(Optional.of(Path.of("/opt/sandq/launcher")), config.launcher());
        assertEquals(Path.of("/opt/py/bin/python3"), config.interpreters().get(Language.PYTHON3));
        assertEquals(Path.of("/opt/node/bin/node"), config.interpreters().get(Language.NODEJS));
        assertEquals(Map.of(Language.PYTHON3, List.of("mbind"), Language.NODEJS, List.of("membarrier")),
                config.extraSyscalls());
        assertEquals("v2", config.cgroupMode());
    }

    @Test
    void everyFlagAlsoComesFromItsEnvironmentVariable() {
        SandboxConfig config = configOf(Map.of(
                "SANDQ_SLOTS", "2",
                "SANDQ_PRIVILEGE_MODE", "root",
                "SANDQ_LAUNCHER", "/opt/launcher",
                "SANDQ_PYTHON", "/opt/python3",
                "SANDQ_NODE", "/opt/node",
                "SANDQ_EXTRA_SYSCALL", "python3:mbind,membarrier",
                "SANDQ_CGROUP", "none"));
        assertEquals(2, config.slots());
        assertEquals(PrivilegeMode.ROOT, config.privilegeMode());
        assertEquals(Optional.of(Path.of("/opt/launcher")), config.launcher());
        assertEquals(Path.of("/opt/python3"), config.interpreters().get(Language.PYTHON3));
        assertEquals(Path.of("/opt/node"), config.interpreters().get(Language.NODEJS));
        assertEquals(List.of("mbind", "membarrier"), config.extraSyscalls().get(Language.PYTHON3));
        assertEquals(List.of("membarrier"), config.extraSyscalls().get(Language.NODEJS));
        assertEquals("none", config.cgroupMode());
    }

    @Test
    void aFlagWinsOverItsEnvironmentVariable() {
        assertEquals(5, configOf(Map.of("SANDQ_SLOTS", "2"), "--slots", "5").slots());
    }

    @Test
    void invalidValuesAreUsageErrorsThatNameTheValue() {
        for (String[] flags : List.of(new String[] {"--slots", "0"}, new String[] {"--cgroup", "v3"},
                new String[] {"--extra-syscall", "ruby:open"}, new String[] {"--extra-syscall", "open;rm"},
                new String[] {"--privilege-mode", "sudo"})) {
            CliRun run = new CliRun();
            run.execute("doctor", flags[0], flags[1]);
            assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
            String shown = flags[1].contains(":") ? flags[1].substring(0, flags[1].indexOf(':')) : flags[1];
            assertTrue(run.err.contains(shown), run::toString);
        }
    }

    @Test
    void egressProxyComesFromTheFlagOrItsVariable() {
        assertEquals(Optional.empty(), configOf(Map.of()).egressProxy());
        assertEquals(Optional.of(new UpstreamProxy("proxy", 3128)),
                configOf(Map.of(), "--egress-proxy", "http://proxy:3128").egressProxy());
        assertEquals(Optional.of(new UpstreamProxy("ssrf_proxy", 3128)),
                configOf(Map.of("SANDQ_EGRESS_PROXY", "http://ssrf_proxy:3128")).egressProxy());
    }

    @Test
    void aBadEgressProxyIsAUsageErrorSayingWhy() {
        Map<String, String> cases = Map.of(
                "https://proxy:3128", "scheme 'https' is not supported",
                "proxy:3128", "is not a URL",
                "http://proxy:3128/path", "has a path",
                "http://user:pw@proxy:3128", "credentials are not supported");
        cases.forEach((url, why) -> {
            CliRun run = new CliRun();
            run.execute("worker", "--allow-network", "--egress-proxy", url);
            assertEquals(ExitCodes.USAGE, run.exitCode, run::toString);
            assertTrue(run.err.contains(why), run::toString);
            assertTrue(!run.err.contains("pw@"), "no password in the error: " + run);
        });
        CliRun fromEnv = new CliRun();
        fromEnv.env = Map.of("SANDQ_EGRESS_PROXY", "socks5://proxy:1080");
        fromEnv.execute("doctor");
        assertEquals(ExitCodes.USAGE, fromEnv.exitCode, fromEnv::toString);
        assertTrue(fromEnv.err.contains("egress proxy 'socks5://proxy:1080': scheme 'socks5' is not supported"),
                fromEnv::toString);
    }

    @Test
    void extraSyscallWithoutLanguageAppliesToEveryLanguageOnce() {
        assertEquals(Map.of(Language.PYTHON3, List.of("mbind"), Language.NODEJS, List.of("mbind")),
                SandboxOptions.parseExtraSyscalls(List.of("mbind", "python3:mbind")));
        assertThrows(IllegalArgumentException.class, () -> SandboxOptions.parseExtraSyscalls(List.of("python3:")));
    }
}
