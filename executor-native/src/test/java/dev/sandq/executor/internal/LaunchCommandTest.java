package dev.sandq.executor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.PrivilegeMode;
import dev.sandq.executor.SandboxLimits;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchCommandTest {
    private static final LanguageProfile NODE = new LanguageProfile(Language.NODEJS, Path.of("/usr/bin/node"),
            "/sandbox/main.js", List.of("/usr/bin/node"), List.of(), Map.of("PATH", "/usr/bin"), List.of(), List.of());

    private static List<String> argv(Path egressSocket) {
        return new LaunchCommand(Path.of("/l"), PrivilegeMode.ROOT, 61000, "auto", "sandq", NODE, SandboxLimits.DEFAULTS,
                egressSocket, Path.of("/s.bpf"), Path.of("/status"), Path.of("/code"), Map.of(), null, null).argv();
    }

    @Test
    void aJobWithTheNetworkGetsTheEgressSocketAndTheProxyVariables() {
        List<String> argv = argv(Path.of("/w/egress.sock"));
        assertTrue(Collections.indexOfSubList(argv, List.of("--egress-socket", "/w/egress.sock")) >= 0, argv::toString);
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            assertTrue(argv.contains(name + "=http://127.0.0.1:3128"), argv::toString);
        }
        assertTrue(argv.contains("NODE_USE_ENV_PROXY=1"), argv::toString);
        assertFalse(argv.stream().anyMatch(a -> a.startsWith("NO_PROXY") || a.startsWith("no_proxy")), argv::toString);
    }

    @Test
    void aJobWithoutTheNetworkGetsNeitherAndNeverTheHostsNetwork() {
        List<String> argv = argv(null);
        assertFalse(argv.contains("--egress-socket"), argv::toString);
        assertFalse(argv.contains("--network"), argv::toString);
        assertFalse(argv.stream().anyMatch(a -> a.toLowerCase().contains("proxy")), argv::toString);
    }

    @Test
    void aPrestartedSandboxBindsTheCodeDirectoryAndRunsTheBootstrapOnTheCodePath() {
        LanguageProfile python = LanguageProfile.python3(Path.of("/usr/bin/python3"));
        List<String> argv = new LaunchCommand(Path.of("/l"), PrivilegeMode.ROOT, 61000, "auto", "sandq", python,
                SandboxLimits.DEFAULTS, null, Path.of("/s.bpf"), Path.of("/status"), Path.of("/slot/code/main.py"),
                Map.of(), Path.of("/w/prestart"), null).argv();
        assertTrue(argv.contains("--prestart"), argv::toString);
        assertTrue(Collections.indexOfSubList(argv, List.of("--ro-bind", "/slot/code:/sandbox")) >= 0, argv::toString);
        assertTrue(Collections.indexOfSubList(argv, List.of("--ro-bind", "/w/prestart:/usr/lib/sandq/prestart")) >= 0,
                argv::toString);
        assertFalse(argv.stream().anyMatch(a -> a.endsWith(":/sandbox/main.py")), "no code is copied in: " + argv);
        List<String> program = argv.subList(argv.indexOf("--") + 1, argv.size());
        assertEquals(List.of("/usr/bin/python3", "-B", "-c"), program.subList(0, 3));
        assertTrue(program.get(3).contains("os.write(3, b\"s\")"), "the bootstrap: " + program.get(3));
        assertEquals("/sandbox/main.py", program.get(4));
    }

    @Test
    void aPrestartedSandboxsCodeFileMustCarryTheCodePathsName() {
        LanguageProfile python = LanguageProfile.python3(Path.of("/usr/bin/python3"));
        assertThrows(IllegalArgumentException.class, () -> new LaunchCommand(Path.of("/l"), PrivilegeMode.ROOT, 61000,
                "auto", "sandq", python, SandboxLimits.DEFAULTS, null, Path.of("/s.bpf"), Path.of("/status"),
                Path.of("/slot/code/other.py"), Map.of(), Path.of("/w/prestart"), null));
    }

    @Test
    void aPrestartedNodeSandboxPreloadsTheBootstrapAndRunsTheCodeFile() {
        List<String> argv = new LaunchCommand(Path.of("/l"), PrivilegeMode.ROOT, 61000, "auto", "sandq", NODE,
                SandboxLimits.DEFAULTS, null, Path.of("/s.bpf"), Path.of("/status"), Path.of("/slot/code/main.js"),
                Map.of(), Path.of("/w/prestart"), null).argv();
        assertEquals(List.of("/usr/bin/node", "-r", "/usr/lib/sandq/prestart/nodejs.js", "/sandbox/main.js"),
                argv.subList(argv.indexOf("--") + 1, argv.size()));
    }
}
