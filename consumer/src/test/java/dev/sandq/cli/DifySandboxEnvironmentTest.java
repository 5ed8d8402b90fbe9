package dev.sandq.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.egress.UpstreamProxy;
import dev.sandq.gateway.GatewayConfig;
import dev.sandq.testing.Fast;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Dify's compose environment for its sandbox service carries over: DifySandbox's variables fill in
 * the sandq options that mean the same thing, a SANDQ_* variable or a flag always wins, and what
 * has no equivalent is said, not silently dropped.
 */
@Fast
class DifySandboxEnvironmentTest {
    /** What Dify's docker-compose gives its sandbox service by default (docker/.env.example). */
    static final Map<String, String> DIFY_COMPOSE = Map.of(
            "API_KEY", "dify-sandbox",
            "GIN_MODE", "release",
            "WORKER_TIMEOUT", "15",
            "ENABLE_NETWORK", "true",
            "HTTP_PROXY", "http://ssrf_proxy:3128",
            "HTTPS_PROXY", "http://ssrf_proxy:3128",
            "SANDBOX_PORT", "8194",
            "PIP_MIRROR_URL", "");

    private static GatewayConfig gateway(Map<String, String> env, String... args) {
        return CliRun.gatewayConfig(env, args);
    }

    private static SandboxConfig worker(Map<String, String> env) {
        return CliRun.doctorConfig(env);
    }

    @Test
    void difysComposeEnvironmentConfiguresTheGateway() {
        GatewayConfig config = gateway(DIFY_COMPOSE);
        assertAll(
                () -> assertEquals("dify-sandbox", config.apiKey()),
                () -> assertEquals(new InetSocketAddress(8194), config.listen()),
                () -> assertEquals(15_000, config.jobLimits().wallTimeMs()),
                () -> assertEquals(GatewayConfig.NetworkRequests.FORWARD, config.networkRequests()),
                () -> assertFalse(config.enablePreload()));
        GatewayConfig other = gateway(Map.of("API_KEY", "k", "SANDBOX_PORT", "9000", "WORKER_TIMEOUT", "30",
                "MAX_REQUESTS", "7", "ENABLE_NETWORK", "false", "ENABLE_PRELOAD", "1", "CODE_EXECUTION_READ_TIMEOUT",
                "120"));
        assertAll(
                () -> assertEquals(new InetSocketAddress(9000), other.listen()),
                () -> assertEquals(30_000, other.jobLimits().wallTimeMs()),
                () -> assertEquals(30_000, other.jobLimits().cpuTimeMs()),
                () -> assertEquals(7, other.maxRequests()),
                () -> assertEquals(GatewayConfig.NetworkRequests.REFUSE, other.networkRequests(),
                        "DifySandbox with ENABLE_NETWORK=false answers runs asking for it -400"),
                () -> assertTrue(other.enablePreload()),
                () -> assertEquals(Duration.ofSeconds(120), other.clientReadTimeout()),
                () -> assertEquals(Duration.ofSeconds(60), other.timeout(), "30 s of wall time and 30 s to wait"));
        assertEquals(5_000, gateway(Map.of("API_KEY", "k", "WORKER_TIMEOUT", "0")).jobLimits().wallTimeMs(),
                "DifySandbox falls back to 5 s");
    }

    @Test
    void aSandqVariableOrAFlagWinsOverDifySandboxs() {
        Map<String, String> env = Map.of("API_KEY", "dify", "SANDQ_API_KEY", "sandq", "WORKER_TIMEOUT", "15",
                "SANDQ_WALL_TIME_MS", "3000");
        assertEquals("sandq", gateway(env).apiKey());
        assertEquals(3_000, gateway(env).jobLimits().wallTimeMs());
        assertEquals("flag", gateway(env, "--api-key", "flag").apiKey());
        assertEquals(8_000, gateway(env, "--wall-time-ms", "8000").jobLimits().wallTimeMs());
    }

    @Test
    void difysComposeEnvironmentLetsTheWorkersJobsOutThroughSsrfProxy() {
        SandboxConfig config = worker(DIFY_COMPOSE);
        assertTrue(config.networkAllowed());
        assertEquals(Optional.of(new UpstreamProxy("ssrf_proxy", 3128)), config.egressProxy());
        SandboxConfig off = worker(Map.of("ENABLE_NETWORK", "false", "HTTP_PROXY", "http://proxy:3128"));
        assertFalse(off.networkAllowed());
        assertEquals(Optional.empty(), off.egressProxy(), "DifySandbox reads its proxy only with the network on");
        assertEquals(Optional.empty(), worker(Map.of("HTTP_PROXY", "http://user:pw@corporate:8080")).egressProxy(),
                "a host's own HTTP_PROXY is not taken without ENABLE_NETWORK");
    }

    @Test
    void allowedSyscallsAreAppendedByNumberAndWhatSandqNeverAllowsIsLeftOutWithANote() {
        // 0 read (allowed already), 237 mbind (allowed by adding), 101 ptrace (never), 9999 (no such call)
        DifySandboxEnvironment dify = DifySandboxEnvironment.of(Map.of("ALLOWED_SYSCALLS", "0,237,101,9999"));
        assertEquals("read,mbind", dify.equivalents().get("SANDQ_EXTRA_SYSCALL"));
        String notes = String.join("\n", dify.notes());
        assertTrue(notes.contains("ALLOWED_SYSCALLS adds read, mbind to the default allowlists (it never replaces them)"),
                notes);
        assertTrue(notes.contains("101 (ptrace: ptrace is never allowed in a sandq job)"), notes);
        assertTrue(notes.contains("9999 (no such syscall on x86_64)"), notes);
        SandboxConfig config = worker(Map.of("ALLOWED_SYSCALLS", "237", "SANDQ_EXTRA_SYSCALL", "python3:membarrier"));
        assertEquals(List.of("membarrier", "mbind"), config.extraSyscalls().get(Language.PYTHON3));
        assertEquals(List.of("mbind"), config.extraSyscalls().get(Language.NODEJS));
    }

    @Test
    void whatHasNoSandqEquivalentIsSaid() {
        List<String> notes = DifySandboxEnvironment.of(Map.of("MAX_WORKERS", "4", "SOCKS5_PROXY", "socks5://p:1080",
                "ENABLE_NETWORK", "maybe")).notes();
        String all = String.join("\n", notes);
        assertTrue(all.contains("MAX_WORKERS=4 is not used: how many jobs run at once is each worker's --slots"), all);
        assertTrue(all.contains("SOCKS5_PROXY is not used"), all);
        assertTrue(all.contains("ENABLE_NETWORK=maybe is not used: not a boolean"), all);
        assertTrue(DifySandboxEnvironment.of(Map.of("API_KEY", "secret")).notes().stream()
                .noneMatch(n -> n.contains("secret")), "the key never reaches the log");
    }
}
