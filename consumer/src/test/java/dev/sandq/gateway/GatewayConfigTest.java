package dev.sandq.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@Fast
class GatewayConfigTest {

    @Test
    void theDefaultsAreDifySandboxs() {
        GatewayConfig config = GatewayConfig.builder("key").build();
        assertEquals(new InetSocketAddress(8194), config.listen());
        assertEquals("key", config.apiKey());
        assertEquals(50, config.maxRequests());
        assertEquals(GatewayConfig.NetworkRequests.FORWARD, config.networkRequests());
        assertEquals(new GatewayConfig.JobLimits(15_000, 15_000, 1024, 8L << 20), config.jobLimits(),
                "Dify's compose sets WORKER_TIMEOUT=15; DifySandbox caps neither memory nor output");
        assertFalse(config.enablePreload(), "DifySandbox drops the preload unless ENABLE_PRELOAD");
        assertEquals(8L << 20, config.maxCodeBytes());
        assertEquals(Duration.ofSeconds(60), config.clientReadTimeout());
    }

    @Test
    void theDefaultTimeoutIsTheWallTimePlusAMarginAndAlwaysEndsBeforeDifyGivesUp() {
        GatewayConfig dify = GatewayConfig.builder("key").build();
        assertEquals(Duration.ofSeconds(45), dify.timeout(), "15 s of wall time and 30 s to wait in the jobs topic");
        assertEquals(Duration.ofSeconds(29), dify.startWithin(), "a job started later could not end in time");
        assertTrue(dify.timeoutWarning().isEmpty(), dify.timeoutWarning()::toString);
        GatewayConfig.JobLimits long50 = new GatewayConfig.JobLimits(50_000, 50_000, 1024, 1 << 20);
        GatewayConfig capped = GatewayConfig.builder("key").jobLimits(long50).build();
        assertEquals(Duration.ofSeconds(55), capped.timeout(), "5 s before Dify's 60 s read timeout");
        assertEquals(Duration.ofMillis(27_500), capped.startWithin(), "half the wait when the wall time takes more");
        GatewayConfig readTimeout120 = GatewayConfig.builder("key").jobLimits(long50)
                .clientReadTimeout(Duration.ofSeconds(120)).build();
        assertEquals(Duration.ofSeconds(80), readTimeout120.timeout());
        GatewayConfig.JobLimits long60 = new GatewayConfig.JobLimits(60_000, 60_000, 1024, 1 << 20);
        assertTrue(GatewayConfig.builder("key").jobLimits(long60).build().timeoutWarning().orElseThrow()
                .contains("WORKER_TIMEOUT"));
        assertTrue(GatewayConfig.builder("key").timeout(Duration.ofSeconds(60)).build().timeoutWarning().orElseThrow()
                .contains("CODE_EXECUTION_READ_TIMEOUT"));
    }

    @Test
    void everyFailureNamesTheBadValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GatewayConfig.builder(" ").build())
                .getMessage().contains("got ' '"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GatewayConfig.builder("key").maxRequests(0)
                .build()).getMessage().contains("got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GatewayConfig.builder("key")
                .timeout(Duration.ZERO).build()).getMessage().contains("got PT0S"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GatewayConfig.builder("key").listen(null)
                .build()).getMessage().contains("got null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GatewayConfig.parseListen("host:x"))
                .getMessage().contains("got 'host:x'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GatewayConfig.JobLimits(0, 1, 1, 1))
                .getMessage().contains("got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GatewayConfig.builder("key").maxCodeBytes(-1)
                .build()).getMessage().contains("got -1"));
    }
}
