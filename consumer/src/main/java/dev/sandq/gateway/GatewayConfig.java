package dev.sandq.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The gateway's settings, immutable and validated when built; every failure message names the bad
 * value. Build them with {@link #builder(String)}.
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

    /** DifySandbox's port. */
    public static final int DEFAULT_PORT = 8194;

    public GatewayConfig {
        if (listen == null) {
            throw new IllegalArgumentException("the listen address must be given, got null");
        }
        if (networkRequests == null) {
            throw new IllegalArgumentException("networkRequests must be forward or strip, got null");
        }
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

    /** A builder for a gateway whose runs must carry {@code apiKey}. */
    public static Builder builder(String apiKey) {
        return new Builder(apiKey);
    }

    /** Defaults: DifySandbox's 0.0.0.0:8194, 50 runs in flight, a 60 s timeout, enable_network forwarded. */
    public static final class Builder {
        private final String apiKey;
        private InetSocketAddress listen = new InetSocketAddress(DEFAULT_PORT);
        private int maxRequests = 50;
        private Duration timeout = Duration.ofSeconds(60);
        private NetworkRequests networkRequests = NetworkRequests.FORWARD;

        private Builder(String apiKey) {
            this.apiKey = apiKey;
        }

        /** Where to serve; port 0 = any free port. */
        public Builder listen(InetSocketAddress address) {
            this.listen = address;
            return this;
        }

        /** Runs in flight at once. */
        public Builder maxRequests(int n) {
            this.maxRequests = n;
            return this;
        }

        /** How long a run waits for its reply; also the job's deadline. */
        public Builder timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        public Builder networkRequests(NetworkRequests what) {
            this.networkRequests = what;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public GatewayConfig build() {
            return new GatewayConfig(listen, apiKey, maxRequests, timeout, networkRequests);
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
