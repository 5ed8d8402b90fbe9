package dev.sandq.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(Duration.ofSeconds(60), config.timeout());
        assertEquals(GatewayConfig.NetworkRequests.FORWARD, config.networkRequests());
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
    }
}
