package dev.sandq.executor.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sandq.testing.Fast;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The egress proxy with an upstream proxy, over real sockets: a job's request (sent to the egress
 * proxy's UNIX socket, as the launcher's relay does) goes through a {@link TestUpstreamProxy} on
 * this host's loopback to an HTTP server that says which Host and path it was asked for. Names
 * resolve through a fixed table to documentation addresses (203.0.113.0/24, 2001:db8::/32), so
 * that what the upstream is asked for shows that sandq passed on the address it checked.
 */
@Fast
@Timeout(60)
class EgressUpstreamTest {
    private static final Map<String, List<String>> NAMES = Map.of(
            "www.example.test", List.of("203.0.113.7"),
            "v6.example.test", List.of("2001:db8::7"),
            "split.example.test", List.of("10.1.1.1", "203.0.113.8"),
            "metadata.example.test", List.of("169.254.169.254"),
            "rebind.example.test", List.of("127.0.0.1"));

    @TempDir
    Path dir;

    private HttpServer destination;
    private TestUpstreamProxy upstream;
    private EgressProxy proxy;

    /** The fixed table; anything else (address literals) as the system resolves it. */
    private static InetAddress[] resolve(String host) throws UnknownHostException {
        List<String> addresses = NAMES.get(host);
        if (addresses == null) {
            return Resolver.SYSTEM.resolve(host);
        }
        InetAddress[] out = new InetAddress[addresses.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = InetAddress.getByName(addresses.get(i));
        }
        return out;
    }

    @BeforeEach
    void start() throws IOException {
        destination = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        destination.createContext("/", exchange -> {
            byte[] body = ("host=" + exchange.getRequestHeaders().getFirst("Host") + " path="
                    + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        destination.start();
        upstream = TestUpstreamProxy.start(destination.getAddress());
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
        destination.stop(0);
    }

    private EgressProxy startProxy(UpstreamProxy through) throws IOException {
        proxy = EgressProxy.start(dir.resolve("egress.sock"), new ProxySettings(EgressPolicy.standard(),
                Optional.of(through), EgressProxy::isThisHostsAddress, EgressUpstreamTest::resolve), 8);
        return proxy;
    }

    /** Sends {@code request} as a job would and reads until the proxy closes the connection. */
    private String send(String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(proxy.socket()));
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            return readUntil(c, null);
        }
    }

    /** Reads until the text contains {@code marker} (or, with none, until the end of the stream). */
    private static String readUntil(SocketChannel c, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (marker == null || !seen.toString().contains(marker)) {
            buf.clear();
            if (c.read(buf) < 0) {
                break;
            }
            seen.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
        }
        return seen.toString();
    }

    @Test
    void aTunnelGoesThroughTheUpstreamWhichIsAskedForTheCheckedAddress() throws IOException {
        startProxy(upstream.upstream());
        String response = send("CONNECT www.example.test:80 HTTP/1.1\r\nHost: www.example.test:80\r\n\r\n"
                + "GET /inside HTTP/1.1\r\nHost: www.example.test\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 Connection established\r\n"), response);
        assertTrue(response.contains("host=www.example.test path=/inside"),
                "the job's own Host header travels inside the tunnel: " + response);
        assertEquals(List.of("CONNECT 203.0.113.7:80 HTTP/1.1"), upstream.requests,
                "the upstream is given the address sandq checked, never the name");
    }

    @Test
    void plainHttpIsTunnelledThroughTheUpstreamKeepingTheHostHeader() throws IOException {
        startProxy(upstream.upstream());
        String response = send("GET http://www.example.test/page?q=1 HTTP/1.1\r\nHost: www.example.test\r\n"
                + "Proxy-Connection: keep-alive\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.contains("host=www.example.test path=/page?q=1"), response);
        assertEquals(List.of("CONNECT 203.0.113.7:80 HTTP/1.1"), upstream.requests);
    }

    @Test
    void anIpv6DestinationIsAskedForInBrackets() throws IOException {
        startProxy(upstream.upstream());
        String response = send("GET http://v6.example.test:8080/ HTTP/1.1\r\n\r\n");
        assertTrue(response.contains("host=v6.example.test:8080 path=/"), response);
        assertEquals(List.of("CONNECT [2001:db8::7]:8080 HTTP/1.1"), upstream.requests);
    }

    @Test
    void ofANamesAddressesOnlyAnAllowedOneIsPassedOn() throws IOException {
        startProxy(upstream.upstream());
        String response = send("CONNECT split.example.test:443 HTTP/1.1\r\n\r\n"
                + "GET / HTTP/1.1\r\nHost: split.example.test\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 ") && response.contains("host=split.example.test"), response);
        assertEquals(List.of("CONNECT 203.0.113.8:443 HTTP/1.1"), upstream.requests);
    }

    @Test
    void aDeniedDestinationIsRefusedBySandqBeforeTheUpstreamIsContacted() throws IOException {
        startProxy(upstream.upstream());
        int upstreamPort = upstream.upstream().port();
        for (String target : List.of("169.254.169.254:80", "metadata.example.test:80", "rebind.example.test:443",
                "127.0.0.1:" + destination.getAddress().getPort(), "127.0.0.1:" + upstreamPort, "10.1.2.3:443",
                "[::1]:" + upstreamPort)) {
            String response = send("CONNECT " + target + " HTTP/1.1\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 403 ") && response.contains("refused CONNECT"), target + ": " + response);
        }
        String plain = send("GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\n\r\n");
        assertTrue(plain.startsWith("HTTP/1.1 403 ") && plain.contains("link-local"), plain);
        assertEquals(List.of(), upstream.requests);
        assertEquals(0, upstream.connections.get(), "the upstream was never even connected to");
    }

    @Test
    void theUpstreamsOwnAddressIsNeverAJobsDestination() throws IOException {
        // a public address that the policy allows: nothing listens there, and nothing connects to it
        startProxy(new UpstreamProxy("203.0.113.50", 3128));
        for (String target : List.of("203.0.113.50:3128", "203.0.113.50:443")) {
            String response = send("CONNECT " + target + " HTTP/1.1\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 403 ")
                    && response.contains("203.0.113.50 is the worker's upstream proxy (http://203.0.113.50:3128)"),
                    target + ": " + response);
        }
    }

    @Test
    void anUpstreamRefusalIsABadGatewayThatQuotesIt() throws IOException {
        startProxy(upstream.behave(TestUpstreamProxy.Behaviour.REFUSE).upstream());
        String response = send("CONNECT www.example.test:443 HTTP/1.1\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 502 Bad Gateway\r\n"), response);
        assertTrue(response.contains("the upstream proxy " + upstream.upstream() + " answered 403 Forbidden to "
                + "CONNECT 203.0.113.7:443 (www.example.test:443)"), response);
        String plain = send("GET http://www.example.test/ HTTP/1.1\r\n\r\n");
        assertTrue(plain.startsWith("HTTP/1.1 502 ") && plain.contains("allow CONNECT to port 443 only"), plain);
    }

    @Test
    void anUpstreamThatIsDownIsABadGatewayAndTheProxyKeepsServing() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        startProxy(new UpstreamProxy("127.0.0.1", port));
        for (int i = 0; i < 2; i++) {
            String response = send("CONNECT www.example.test:443 HTTP/1.1\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 502 Bad Gateway\r\n")
                    && response.contains("cannot connect to the upstream proxy http://127.0.0.1:" + port), response);
        }
        try (TestUpstreamProxy back = TestUpstreamProxy.start(port, destination.getAddress())) {
            String response = send("GET http://www.example.test/again HTTP/1.1\r\n\r\n");
            assertTrue(response.contains("host=www.example.test path=/again"), "once the upstream is back: " + response);
            assertEquals(List.of("CONNECT 203.0.113.7:80 HTTP/1.1"), back.requests);
        }
    }

    @Test
    void bytesThatCameWithTheUpstreamsAnswerReachTheJob() throws IOException {
        startProxy(upstream.behave(TestUpstreamProxy.Behaviour.FORWARD_WITH_GREETING).upstream());
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(proxy.socket()));
            c.write(ByteBuffer.wrap("CONNECT www.example.test:22 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
            String seen = readUntil(c, TestUpstreamProxy.GREETING);
            assertEquals("HTTP/1.1 200 Connection established\r\n\r\n" + TestUpstreamProxy.GREETING, seen,
                    "sandq's own 200, then the far side's first bytes (the upstream's headers stay with sandq)");
        }
    }

    @Test
    void anUpstreamAnswerThatIsNotHttpIsABadGateway() throws IOException {
        startProxy(upstream.behave(TestUpstreamProxy.Behaviour.GARBAGE).upstream());
        String response = send("CONNECT www.example.test:443 HTTP/1.1\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 502 ") && response.contains("not HTTP: 'SSH-2.0-not-a-proxy'"), response);
    }

    @Test
    void withoutAnUpstreamTheProxyReportsNone() throws IOException {
        try (EgressProxy direct = EgressProxy.start(dir.resolve("direct.sock"), EgressPolicy.standard(), 2)) {
            assertEquals(Optional.empty(), direct.upstream());
        }
        assertEquals(Optional.of(upstream.upstream()), startProxy(upstream.upstream()).upstream());
    }
}
