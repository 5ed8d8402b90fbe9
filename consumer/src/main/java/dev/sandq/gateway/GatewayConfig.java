package dev.sandq.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * The gateway's settings, immutable and validated when built; every failure message names the bad
 * value. Build them with {@link #builder(String)}.
 *
 * @param listen            where to serve (DifySandbox's port is 8194)
 * @param apiKey            the X-Api-Key every /v1 request must carry (Dify's CODE_EXECUTION_API_KEY)
 * @param maxRequests       runs in flight at once; one more is answered 503 / code -503
 * @param timeout           how long a run waits for its reply (see {@link Builder#timeout}); the job's
 *                          deadline is set so that a job that starts can end within it
 * @param networkRequests   what to do with a run's enable_network (Dify always sends true)
 * @param jobLimits         the limits every job of Dify's gets
 * @param enablePreload     whether a run's preload runs before its code (DifySandbox drops it unless
 *                          ENABLE_PRELOAD)
 * @param maxCodeBytes      the largest program (code and preload, UTF-8) a run may carry
 * @param maxBodyBytes      the largest HTTP request body
 * @param clientReadTimeout how long Dify waits for an answer (its CODE_EXECUTION_READ_TIMEOUT): the
 *                          default timeout stays below it
 */
public record GatewayConfig(InetSocketAddress listen, String apiKey, int maxRequests, Duration timeout,
                            NetworkRequests networkRequests, JobLimits jobLimits, boolean enablePreload,
                            long maxCodeBytes, long maxBodyBytes, Duration clientReadTimeout) {

    /**
     * FORWARD: pass enable_network on (workers without networking answer -400, naming the flag);
     * STRIP: always run without the network; REFUSE: a run that asks for it is answered -400, as
     * DifySandbox with ENABLE_NETWORK=false answers it.
     */
    public enum NetworkRequests { FORWARD, STRIP, REFUSE }

    /**
     * The limits of Dify's jobs: DifySandbox's WORKER_TIMEOUT (wall clock), and what DifySandbox
     * does not limit at all but a sandq job always has (CPU time, memory, output).
     */
    public record JobLimits(long wallTimeMs, long cpuTimeMs, long memoryMb, long outputBytes) {
        /** Dify's compose sets WORKER_TIMEOUT=15; output and memory generous, as DifySandbox has no caps. */
        public static final JobLimits DIFY = new JobLimits(15_000, 15_000, 1024, 8L << 20);

        public JobLimits {
            positive("wall time (ms)", wallTimeMs);
            positive("CPU time (ms)", cpuTimeMs);
            positive("memory (MiB)", memoryMb);
            positive("output (bytes)", outputBytes);
        }
    }

    /** DifySandbox's port. */
    public static final int DEFAULT_PORT = 8194;
    /** Dify's CODE_EXECUTION_READ_TIMEOUT default. */
    public static final Duration DIFY_READ_TIMEOUT = Duration.ofSeconds(60);
    /** Added to a job's wall time for the wait in the jobs topic, the sandbox's start and the two records. */
    public static final Duration QUEUE_MARGIN = Duration.ofSeconds(30);
    /** The default timeout ends this long before the client's read timeout, so the answer reaches it first. */
    public static final Duration BEFORE_CLIENT_GIVES_UP = Duration.ofSeconds(5);
    /** The largest program, and the largest record the topic catalogue gives the jobs topic room for. */
    public static final long DEFAULT_MAX_CODE_BYTES = 8L << 20;
    /** Room for the largest program JSON-escaped (quotes, newlines, \\uXXXX) with the other fields. */
    public static final long DEFAULT_MAX_BODY_BYTES = 20L << 20;

    public GatewayConfig {
        if (listen == null) {
            throw new IllegalArgumentException("the listen address must be given, got null");
        }
        if (networkRequests == null) {
            throw new IllegalArgumentException("networkRequests must be forward, strip or refuse, got null");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key must not be empty, got '" + apiKey + "'");
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("maxRequests must be at least 1, got " + maxRequests);
        }
        requirePositive("timeout", timeout);
        requirePositive("clientReadTimeout", clientReadTimeout);
        if (jobLimits == null) {
            throw new IllegalArgumentException("jobLimits must be given, got null");
        }
        positive("maxCodeBytes", maxCodeBytes);
        positive("maxBodyBytes", maxBodyBytes);
    }

    /** A configuration with DifySandbox's defaults for everything but these (`sandq bench-gateway`'s). */
    public GatewayConfig(InetSocketAddress listen, String apiKey, int maxRequests, Duration timeout,
                         NetworkRequests networkRequests) {
        this(listen, apiKey, maxRequests, timeout, networkRequests, JobLimits.DIFY, false, DEFAULT_MAX_CODE_BYTES,
                DEFAULT_MAX_BODY_BYTES, DIFY_READ_TIMEOUT);
    }

    /**
     * When a job must have started for its answer to come within {@link #timeout()}: the wait, less
     * the job's wall time (a job that starts later is answered expired, without running), but never
     * less than half the wait.
     */
    public Duration startWithin() {
        Duration room = timeout.minusMillis(jobLimits.wallTimeMs()).minusSeconds(1);
        Duration half = timeout.dividedBy(2);
        return room.compareTo(half) < 0 ? half : room;
    }

    /** Why the timeout does not end before the client gives up, when it does not. */
    public Optional<String> timeoutWarning() {
        if (timeout.compareTo(clientReadTimeout) >= 0) {
            return Optional.of("--timeout " + timeout + " is not below the client's read timeout " + clientReadTimeout
                    + " (Dify's CODE_EXECUTION_READ_TIMEOUT): Dify gives up and retries before a slow run is answered");
        }
        if (Duration.ofMillis(jobLimits.wallTimeMs()).compareTo(timeout) >= 0) {
            return Optional.of("the jobs' wall time (" + jobLimits.wallTimeMs() + " ms) is not below --timeout "
                    + timeout + ": a job that runs to its limit is answered 'no worker answered' before it ends; "
                    + "lower --wall-time-ms (WORKER_TIMEOUT) or raise Dify's CODE_EXECUTION_READ_TIMEOUT and "
                    + "--client-read-timeout");
        }
        return Optional.empty();
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** A builder for a gateway whose runs must carry {@code apiKey}. */
    public static Builder builder(String apiKey) {
        return new Builder(apiKey);
    }

    /**
     * Defaults: DifySandbox's 0.0.0.0:8194 and 50 runs in flight, enable_network forwarded, preload
     * dropped, Dify's jobs limited by {@link JobLimits#DIFY}, programs up to 8 MiB, bodies up to
     * 20 MiB, and the timeout derived from the wall time (see {@link #timeout(Duration)}).
     */
    public static final class Builder {
        private final String apiKey;
        private InetSocketAddress listen = new InetSocketAddress(DEFAULT_PORT);
        private int maxRequests = 50;
        private Duration timeout;
        private NetworkRequests networkRequests = NetworkRequests.FORWARD;
        private JobLimits jobLimits = JobLimits.DIFY;
        private boolean enablePreload;
        private long maxCodeBytes = DEFAULT_MAX_CODE_BYTES;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration clientReadTimeout = DIFY_READ_TIMEOUT;

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

        /**
         * How long a run waits for its reply. Default: the jobs' wall time plus {@link #QUEUE_MARGIN},
         * but at most the client's read timeout less {@link #BEFORE_CLIENT_GIVES_UP} (Dify's 60 s:
         * 55 s), so that Dify always gets the answer, an error included, before it gives up.
         */
        public Builder timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        public Builder networkRequests(NetworkRequests what) {
            this.networkRequests = what;
            return this;
        }

        public Builder jobLimits(JobLimits limits) {
            this.jobLimits = limits;
            return this;
        }

        public Builder enablePreload(boolean enabled) {
            this.enablePreload = enabled;
            return this;
        }

        public Builder maxCodeBytes(long bytes) {
            this.maxCodeBytes = bytes;
            return this;
        }

        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** How long the client waits for an answer (Dify's CODE_EXECUTION_READ_TIMEOUT). */
        public Builder clientReadTimeout(Duration d) {
            this.clientReadTimeout = d;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public GatewayConfig build() {
            Duration wait = timeout;
            if (wait == null && jobLimits != null && clientReadTimeout != null) {
                Duration derived = Duration.ofMillis(jobLimits.wallTimeMs()).plus(QUEUE_MARGIN);
                Duration cap = clientReadTimeout.minus(BEFORE_CLIENT_GIVES_UP);
                wait = derived.compareTo(cap) > 0 && !cap.isNegative() && !cap.isZero() ? cap : derived;
            }
            return new GatewayConfig(listen, apiKey, maxRequests, wait, networkRequests, jobLimits, enablePreload,
                    maxCodeBytes, maxBodyBytes, clientReadTimeout);
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
