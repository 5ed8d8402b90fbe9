package dev.sandq.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The gateway's settings, validated; every message names the bad value.
 *
 * @param listen          where to serve (DifySandbox's port is 8194)
 * @param apiKey          the X-Api-Key every /v1 request must carry (Dify's CODE_EXECUTION_API_KEY)
 * @param maxRequests     runs in flight at once; one more is answered 503 / code -503
 * @param timeout         how long a run waits for its reply; also the job's deadline
 * @param networkRequests what to do with a run's enable_network (Dify always sends true)
 */
public record GatewayConfig(InetSocketAddress listen, String apiKey, int maxRequests, Duration timeout,
                            NetworkRequests networkRequests) {

    /** FORWARD: pass enable_network on (workers without networking answer -400); STRIP: always run without. */
    public enum NetworkRequests { FORWARD, STRIP }

    public GatewayConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(networkRequests, "networkRequests");
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key must not be empty, got '" + apiKey + "'");
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("maxRequests must be at least 1, got " + maxRequests);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** "host:port" or ":port" / "port" (all interfaces). */
    public static InetSocketAddress parseListen(String text) {
        String t = text == null ? "" : text.strip();
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? "" : t.substring(0, colon);
        String portText = colon < 0 ? t : t.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listen address must be [HOST:]PORT, got '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen port must be 0..65535, got '" + text + "'");
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }
}
