package dev.sandq.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sandq.executor.Language;
import dev.sandq.wire.JobReplyCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DifySandbox's HTTP API on top of Kafka, so that Dify's CODE_EXECUTION_ENDPOINT can point at
 * sandq: {@code POST /v1/sandbox/run}, {@code GET /v1/sandbox/dependencies[/refresh]?language=},
 * {@code GET /health}. Every /v1 request needs the X-Api-Key header (401 without it, as
 * DifySandbox). A run becomes a script-mode job on the jobs topic; the HTTP thread returns at
 * once and the response is written when the reply arrives, so in-flight runs hold no thread.
 * At most {@link GatewayConfig#maxRequests()} runs are in flight; one more gets 503 / -503.
 */
public final class DifyGateway implements AutoCloseable {
    /** Bodies beyond this are refused (Dify's programs are small; 16 MiB leaves room). */
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    static {
        // The JDK server writes headers and body separately; with Nagle on, a keep-alive client's
        // delayed ACK stalls every small response by ~40 ms. Read once, when the server first loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final GatewayConfig config;
    private final KafkaJobClient kafka;
    private final DependencyLister dependencies;
    private final Clock clock;
    private final Semaphore inFlight;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ExecutorService responders;
    private final byte[] apiKey;

    private DifyGateway(GatewayConfig config, KafkaJobClient kafka, DependencyLister dependencies, Clock clock)
            throws IOException {
        this.config = config;
        this.kafka = kafka;
        this.dependencies = dependencies;
        this.clock = clock;
        this.inFlight = new Semaphore(config.maxRequests());
        this.apiKey = config.apiKey().getBytes(StandardCharsets.UTF_8);
        this.handlers = Executors.newFixedThreadPool(16, named("sandq-gateway-http"));
        this.responders = Executors.newFixedThreadPool(2, named("sandq-gateway-reply"));
        this.server = HttpServer.create(config.listen(), 256);
        server.setExecutor(handlers);
        server.createContext("/", this::route);
    }

    public static DifyGateway start(GatewayConfig config, KafkaJobClient kafka, DependencyLister dependencies,
                                    Clock clock) throws IOException {
        DifyGateway gateway = new DifyGateway(config, kafka, dependencies, clock);
        gateway.server.start();
        return gateway;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void route(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/health")) {
                send(ex, new DifyResponse(kafka.healthy() ? 200 : 503,
                        com.fasterxml.jackson.databind.node.TextNode.valueOf(kafka.healthy() ? "ok" : "no reply reader")));
                return;
            }
            if (!path.startsWith("/v1/")) {
                sendEmpty(ex, 404);
                return;
            }
            if (!authorised(ex)) {
                sendEmpty(ex, 401);
                return;
            }
            switch (path) {
                case "/v1/sandbox/run" -> {
                    if (method.equals("POST")) {
                        run(ex);
                    } else {
                        sendEmpty(ex, 405);
                    }
                }
                case "/v1/sandbox/dependencies", "/v1/sandbox/dependencies/refresh" -> {
                    if (method.equals("GET")) {
                        listDependencies(ex);
                    } else {
                        sendEmpty(ex, 405);
                    }
                }
                default -> sendEmpty(ex, 404);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("sandq gateway: " + ex.getRequestMethod() + " " + ex.getRequestURI() + " failed: " + e);
            ex.close();
        }
    }

    private boolean authorised(HttpExchange ex) {
        String key = ex.getRequestHeaders().getFirst("X-Api-Key");
        return key != null && MessageDigest.isEqual(apiKey, key.getBytes(StandardCharsets.UTF_8));
    }

    private void run(HttpExchange ex) throws IOException {
        if (!inFlight.tryAcquire()) {
            drain(ex);
            send(ex, DifyResponse.overloaded("Too many requests"));
            return;
        }
        boolean handedOver = false;
        try {
            byte[] body = readBody(ex);
            if (body == null) {
                send(ex, DifyResponse.error(413, -400, "the request body is larger than " + MAX_BODY_BYTES + " bytes"));
                return;
            }
            RunRequest request;
            try {
                request = RunRequest.parse(body);
            } catch (RunRequest.Invalid e) {
                send(ex, DifyResponse.error(200, -400, e.getMessage()));
                return;
            }
            if (Language.fromWireName(request.language()).isEmpty()) {
                send(ex, DifyResponse.error(400, -400, "unsupported language"));
                return;
            }
            long deadline = clock.millis() + config.timeout().toMillis();
            byte[] job = request.toJob(config.networkRequests() == GatewayConfig.NetworkRequests.FORWARD, deadline);
            CompletableFuture<byte[]> reply = kafka.submit(job, config.timeout());
            handedOver = true;
            reply.whenCompleteAsync((bytes, failure) -> {
                try {
                    send(ex, failure == null ? DifyResponse.ofReply(JobReplyCodec.fromJson(bytes)) : unanswered(failure));
                } catch (IOException | RuntimeException e) {
                    System.err.println("sandq gateway: answering a run failed: " + e);
                    ex.close();
                } finally {
                    inFlight.release();
                }
            }, responders);
        } finally {
            if (!handedOver) {
                inFlight.release();
            }
        }
    }

    private DifyResponse unanswered(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return DifyResponse.overloaded("no sandq worker answered within " + config.timeout().toMillis() + " ms");
        }
        return DifyResponse.overloaded("the job could not be sent to Kafka: " + cause.getMessage());
    }

    private void listDependencies(HttpExchange ex) throws IOException {
        drain(ex);
        Optional<Language> language = Language.fromWireName(queryParameter(ex, "language"));
        if (language.isEmpty()) {
            send(ex, DifyResponse.error(400, -400, "unsupported language"));
            return;
        }
        send(ex, DifyResponse.dependencies(dependencies.list(language.get())));
    }

    private static String queryParameter(HttpExchange ex, String name) {
        String query = ex.getRequestURI().getRawQuery();
        if (query == null) {
            return "";
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /** The body, or null when it is larger than {@link #MAX_BODY_BYTES}. */
    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }

    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static void send(HttpExchange ex, DifyResponse response) throws IOException {
        byte[] bytes = response.bytes();
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(response.httpStatus(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendEmpty(HttpExchange ex, int status) throws IOException {
        drain(ex);
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs in flight now. */
    public int inFlight() {
        return config.maxRequests() - inFlight.availablePermits();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        responders.shutdownNow();
    }
}
