package dev.sandq.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sandq.deps.InstalledPackage;
import dev.sandq.executor.Language;
import dev.sandq.wire.JobReplyCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * DifySandbox's HTTP API on top of Kafka, so that Dify's CODE_EXECUTION_ENDPOINT can point at
 * sandq: {@code POST /v1/sandbox/run}, {@code GET /v1/sandbox/dependencies[/refresh]},
 * {@code POST /v1/sandbox/dependencies/update}, {@code GET /health}. As in DifySandbox (gin), a
 * path or method it does not serve is 404 before the key is looked at, a trailing slash is
 * redirected, and every route under /v1 needs the X-Api-Key header (401, empty, without it).
 * A run becomes a script-mode job on the jobs topic ({@link DifyJobs}); the HTTP thread returns
 * at once and the response is written when the reply arrives, so in-flight runs hold no thread.
 * At most {@link GatewayConfig#maxRequests()} runs are in flight; one more gets 503 / -503.
 *
 * <p>Whatever goes wrong is answered before {@link GatewayConfig#timeout()}, with HTTP 200 and
 * a negative code whose message says what happened and what to change (Dify shows "Got error
 * code: N. Got error msg: ..." and does not retry): a program or body over the limits (-400), no
 * worker answering (-500), the jobs topic missing (-500).
 */
public final class DifyGateway implements AutoCloseable {
    /** DifySandbox's answer to a run asking for the network when its ENABLE_NETWORK is false. */
    static final String NETWORK_DISABLED = "network is disabled, please enable it in the configuration";
    /** The most of a refused body read (and dropped) so that the connection stays usable. */
    private static final long MAX_DRAIN_BYTES = 256L << 20;
    /** The routes under /v1, each with its one method. */
    private static final Map<String, String> ROUTES = Map.of(
            "/v1/sandbox/run", "POST",
            "/v1/sandbox/dependencies", "GET",
            "/v1/sandbox/dependencies/update", "POST",
            "/v1/sandbox/dependencies/refresh", "GET");
    private static final String HEALTH = "/health";
    /** What DifySandbox lists for python3 besides what was installed: the packages its image ships. */
    private static final List<String> BUILT_IN_PYTHON_PACKAGES = List.of("jinja2", "httpx", "requests");
    private static final List<DifyBinding.Field> LANGUAGE_ONLY =
            List.of(new DifyBinding.Field("language", "Language", false, true));

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
            if (path.equals(HEALTH) && method.equals("GET")) {
                drain(ex);
                send(ex, new DifyResponse(kafka.healthy() ? 200 : 503,
                        TextNode.valueOf(kafka.healthy() ? "ok" : "no reply reader")));
                return;
            }
            if (!method.equals(ROUTES.get(path))) {
                notFoundOrRedirect(ex, path, method);
                return;
            }
            if (!authorised(ex)) {
                ex.sendResponseHeaders(401, -1); // the body unread, as above
                ex.close();
                return;
            }
            switch (path) {
                case "/v1/sandbox/run" -> run(ex);
                case "/v1/sandbox/dependencies/update" -> updateDependencies(ex);
                default -> listDependencies(ex);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("sandq gateway: " + ex.getRequestMethod() + " " + ex.getRequestURI() + " failed: " + e);
            ex.close();
        }
    }

    /** gin: a known route with a trailing slash is redirected (301 for GET, 307 otherwise); anything else 404. */
    private static void notFoundOrRedirect(HttpExchange ex, String path, String method) throws IOException {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : null;
        boolean known = trimmed != null
                && (method.equals(ROUTES.get(trimmed)) || (trimmed.equals(HEALTH) && method.equals("GET")));
        // The body is not read: the server reads at most 64 KiB of it (sun.net.httpserver.drainAmount)
        // and closes the connection when more is left, so no request without the key costs more.
        if (known) {
            String query = ex.getRequestURI().getRawQuery();
            ex.getResponseHeaders().set("Location", trimmed + (query == null ? "" : "?" + query));
            ex.sendResponseHeaders(method.equals("GET") ? 301 : 307, -1);
            ex.close();
            return;
        }
        byte[] body = "404 page not found".getBytes(StandardCharsets.US_ASCII);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(404, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
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
            Optional<byte[]> body = readBody(ex);
            if (body.isEmpty()) {
                send(ex, tooLargeBody(ex));
                return;
            }
            RunRequest request;
            try {
                request = RunRequest.bind(ex.getRequestMethod(), ex.getRequestHeaders().getFirst("Content-Type"),
                        ex.getRequestURI().getRawQuery(), body.get());
            } catch (RunRequest.Invalid e) {
                send(ex, DifyResponse.error(e.httpStatus(), -400, e.getMessage()));
                return;
            }
            if (Language.fromWireName(request.language()).isEmpty()) {
                send(ex, DifyResponse.error(400, -400, "unsupported language"));
                return;
            }
            if (request.enableNetwork() && config.networkRequests() == GatewayConfig.NetworkRequests.REFUSE) {
                send(ex, DifyResponse.error(200, -400, NETWORK_DISABLED));
                return;
            }
            long programBytes = DifyJobs.programBytes(request, config.enablePreload());
            if (programBytes > config.maxCodeBytes()) {
                send(ex, DifyResponse.error(200, -400, "the code is " + programBytes + " bytes, over the limit of "
                        + config.maxCodeBytes() + " bytes (sandq gateway --max-code-bytes)"));
                return;
            }
            boolean network = request.enableNetwork()
                    && config.networkRequests() == GatewayConfig.NetworkRequests.FORWARD;
            byte[] job = DifyJobs.job(request, config.jobLimits(), config.enablePreload(), network,
                    clock.millis() + config.startWithin().toMillis());
            CompletableFuture<byte[]> reply = kafka.submit(job, config.timeout());
            handedOver = true;
            reply.whenCompleteAsync((bytes, failure) -> {
                DifyResponse response;
                try {
                    response = failure == null ? DifyResponse.ofReply(JobReplyCodec.fromJson(bytes)) : unanswered(failure);
                } finally {
                    // before the answer is written: a client that sends its next run as soon as it
                    // has this answer must find the run counted out, not be refused as one too many
                    inFlight.release();
                }
                try {
                    send(ex, response);
                } catch (IOException | RuntimeException e) {
                    System.err.println("sandq gateway: answering a run failed: " + e);
                    ex.close();
                }
            }, responders);
        } finally {
            if (!handedOver) {
                inFlight.release();
            }
        }
    }

    private DifyResponse tooLargeBody(HttpExchange ex) {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        String size = length != null && length.strip().matches("[0-9]+") ? length.strip() + " bytes"
                : "more than " + config.maxBodyBytes() + " bytes";
        return DifyResponse.error(200, -400, "the request body is " + size + ", over the limit of "
                + config.maxBodyBytes() + " bytes (sandq gateway --max-body-bytes)");
    }

    /** What a run whose job was not answered gets: never 503, so that Dify shows why instead of retrying. */
    private DifyResponse unanswered(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return DifyResponse.error(200, -500, "no sandq worker answered within " + config.timeout().toMillis()
                    + " ms (sandq gateway --timeout): are workers running and consuming " + kafka.jobsTopic() + " on "
                    + kafka.bootstrapServers() + ", and are there enough of them for the load?");
        }
        if (cause instanceof dev.sandq.client.JobTooLargeException) {
            return DifyResponse.error(200, -400, cause.getMessage());
        }
        if (cause instanceof RecordTooLargeException) {
            return DifyResponse.error(200, -400, "Kafka refused the job as too large for the jobs topic "
                    + kafka.jobsTopic() + " (" + cause.getMessage() + "); its max.message.bytes, which `sandq topics "
                    + "apply` sets, bounds the program's size");
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException
                || cause instanceof UnknownTopicOrPartitionException) {
            return DifyResponse.error(200, -500, "the job could not be sent to the jobs topic " + kafka.jobsTopic()
                    + " on " + kafka.bootstrapServers() + ": the topic does not exist or Kafka cannot be reached ("
                    + cause.getMessage() + "); `sandq topics apply` creates the topics");
        }
        return DifyResponse.error(200, -500, "the job could not be sent to Kafka: " + cause);
    }

    private void listDependencies(HttpExchange ex) throws IOException {
        Optional<Language> language = dependencyLanguage(ex);
        if (language.isEmpty()) {
            return;
        }
        List<InstalledPackage> installed = dependencies.list(language.get());
        List<InstalledPackage> all = new ArrayList<>();
        if (language.get() == Language.PYTHON3) {
            for (String name : BUILT_IN_PYTHON_PACKAGES) {
                if (installed.stream().noneMatch(p -> p.name().equalsIgnoreCase(name))) {
                    all.add(new InstalledPackage(name, ""));
                }
            }
        }
        all.addAll(installed);
        send(ex, DifyResponse.dependencies(all));
    }

    /** DifySandbox re-copies its Python libraries into its chroot; sandq's jobs see the installed packages as they are. */
    private void updateDependencies(HttpExchange ex) throws IOException {
        if (dependencyLanguage(ex).isPresent()) {
            send(ex, DifyResponse.success(JsonNodeFactory.instance.objectNode()));
        }
    }

    /** The request's language (python3, or sandq's nodejs), or empty once the refusal is sent. */
    private Optional<Language> dependencyLanguage(HttpExchange ex) throws IOException {
        Optional<byte[]> body = readBody(ex);
        if (body.isEmpty()) {
            send(ex, tooLargeBody(ex));
            return Optional.empty();
        }
        DifyBinding.Bound bound = DifyBinding.bind(ex.getRequestMethod(), ex.getRequestHeaders().getFirst("Content-Type"),
                ex.getRequestURI().getRawQuery(), body.get(), LANGUAGE_ONLY);
        if (bound instanceof DifyBinding.Refused refused) {
            send(ex, refused.response());
            return Optional.empty();
        }
        Optional<Language> language = Language.fromWireName(((DifyBinding.Values) bound).text("language"));
        if (language.isEmpty()) {
            send(ex, DifyResponse.error(400, -400, "unsupported language"));
        }
        return language;
    }

    /** The body, or empty when it is larger than the limit (then it is drained, up to a bound, and dropped). */
    private Optional<byte[]> readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            long max = config.maxBodyBytes();
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, max + 1));
            if (body.length > max) {
                in.transferTo(new BoundedSink(MAX_DRAIN_BYTES));
                return Optional.empty();
            }
            return Optional.of(body);
        } catch (BoundedSink.Full full) {
            return Optional.empty();
        }
    }

    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.transferTo(new BoundedSink(MAX_DRAIN_BYTES));
        } catch (BoundedSink.Full full) {
            // the rest is not read: the server closes the connection after the response
        }
    }

    /** Discards what it is given, up to a bound. */
    private static final class BoundedSink extends OutputStream {
        static final class Full extends IOException {
            Full() {
                super("drained enough");
            }
        }

        private long left;

        BoundedSink(long bound) {
            this.left = bound;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            left -= len;
            if (left < 0) {
                throw new Full();
            }
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
