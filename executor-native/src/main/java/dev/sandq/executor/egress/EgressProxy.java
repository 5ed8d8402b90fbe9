package dev.sandq.executor.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * The worker's egress proxy: the only way out for a job that has the network. It listens on a
 * UNIX socket in the worker's private workspace, which the launcher binds into each such job
 * (executor-native/LAUNCHER.md, --egress-socket), and speaks just enough HTTP proxy protocol for
 * HTTP clients configured with HTTP_PROXY/HTTPS_PROXY: {@code CONNECT host:port} tunnels (TLS)
 * and plain-HTTP requests with an absolute URI.
 *
 * <p>It resolves names itself and checks every address against the {@link EgressPolicy} and
 * this host's own addresses before connecting to exactly that address: what was checked is what
 * is connected to, so DNS rebinding cannot slip past it. With an {@link UpstreamProxy} it does
 * not connect itself but asks the upstream for {@code CONNECT address:port}, naming the checked
 * address, for tunnels and plain-HTTP requests alike ({@link UpstreamRoute} says why).
 */
public final class EgressProxy implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EgressProxy.class);

    /** How long a tunnel may be silent in both directions before the proxy closes it. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);
    /** How long connecting to a destination may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Path socket;
    private final ProxySettings settings;
    private final ServerSocketChannel server;
    private final Semaphore connections;
    private final ExecutorService threads;
    private final Thread acceptor;
    private final java.util.Set<ProxyExchange> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private EgressProxy(Path socket, ProxySettings settings, int maxConnections, ServerSocketChannel server) {
        this.socket = socket;
        this.settings = settings;
        this.server = server;
        this.connections = new Semaphore(maxConnections);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sandq-egress");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "sandq-egress-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code socket} (which must not exist; its directory should be private to the
     * worker) and serves until closed. The socket file is made 0666 so that each slot's uid can
     * connect to it where it is bound inside the sandbox.
     *
     * @param maxConnections connections served at once; more are answered 503
     */
    public static EgressProxy start(Path socket, EgressPolicy policy, int maxConnections) throws IOException {
        return start(socket, policy, Optional.empty(), maxConnections);
    }

    /**
     * Like {@link #start(Path, EgressPolicy, int)}, going out through {@code upstream} when present.
     *
     * @param upstream the operator's HTTP proxy; empty = connect to destinations directly
     */
    public static EgressProxy start(Path socket, EgressPolicy policy, Optional<UpstreamProxy> upstream,
                                    int maxConnections) throws IOException {
        return start(socket, new ProxySettings(policy, upstream, EgressProxy::isThisHostsAddress, Resolver.SYSTEM),
                maxConnections);
    }

    static EgressProxy start(Path socket, EgressPolicy policy, int maxConnections, Predicate<InetAddress> ownAddress)
            throws IOException {
        return start(socket, new ProxySettings(policy, Optional.empty(), ownAddress, Resolver.SYSTEM), maxConnections);
    }

    static EgressProxy start(Path socket, ProxySettings settings, int maxConnections) throws IOException {
        Objects.requireNonNull(settings, "settings");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket), 256);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        EgressProxy proxy = new EgressProxy(socket, settings, maxConnections, server);
        proxy.acceptor.start();
        return proxy;
    }

    public Path socket() {
        return socket;
    }

    public EgressPolicy policy() {
        return settings.policy();
    }

    /** The operator's HTTP proxy this one goes out through, if any. */
    public Optional<UpstreamProxy> upstream() {
        return settings.upstream();
    }

    /** Whether an address is one of this host's (any interface): a job must not reach the worker's own services. */
    static boolean isThisHostsAddress(InetAddress address) {
        try {
            return address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // cannot tell: refuse
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (AsynchronousCloseException closed) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
                LOG.warn("accept failed: " + e.getMessage());
                continue;
            }
            if (!connections.tryAcquire()) {
                ProxyExchange.refuseBusy(client);
                continue;
            }
            try {
                threads.execute(() -> {
                    try {
                        new ProxyExchange(client, settings, threads, open).run();
                    } finally {
                        connections.release();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                connections.release();
                ProxyExchange.refuseBusy(client);
            }
        }
    }

    /** Stops accepting, ends every open connection, waits for its threads, removes the socket file. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the socket: " + e.getMessage());
        }
        try {
            acceptor.join();
            open.forEach(ProxyExchange::abort);
            threads.shutdownNow();
            if (!threads.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("some connections did not end within 5 s of closing the proxy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("removing " + socket + ": " + e.getMessage());
        }
    }
}
