package dev.sandq.executor.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
        return new LaunchCommand(Path.of("/l"), PrivilegeMode.ROOT, 61000, "auto", NODE, SandboxLimits.DEFAULTS,
                egressSocket, Path.of("/s.bpf"), Path.of("/status"), Path.of("/code"), Map.of()).argv();
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
}
