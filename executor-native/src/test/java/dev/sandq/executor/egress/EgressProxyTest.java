package dev.sandq.executor.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sandq.testing.Fast;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy on its own, from this JVM. Its destination is a server on one of this host's
 * addresses that the policy allows (the real proxy refuses those as the host's own; here that
 * check is switched off, except in the test of the check itself).
 */
@Fast
@Timeout(60)
class EgressProxyTest {
    @TempDir
    Path dir;

    private static Optional<InetAddress> allowedAddressOfThisHost() throws IOException {
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            for (InetAddress a : nif.inetAddresses().toList()) {
                if (a instanceof Inet4Address && EgressPolicy.standard().decide(a).allowed()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private static String exchange(SocketChannel c, String request) throws IOException {
        c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        ByteBuffer buf = ByteBuffer.allocate(4096);
        c.read(buf);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket));
        return c;
    }

    @Test
    void closingTheProxyEndsOpenTunnelsAndRemovesItsSocket() throws Exception {
        Optional<InetAddress> address = allowedAddressOfThisHost();
        assumeTrue(address.isPresent(), "this host has no address outside loopback and the denied ranges");
        try (ServerSocket destination = new ServerSocket(0, 8, address.get())) {
            Path socket = dir.resolve("egress.sock");
            EgressProxy proxy = EgressProxy.start(socket, EgressPolicy.standard(), 4, a -> false);
            SocketChannel client = connect(socket);
            String target = address.get().getHostAddress() + ":" + destination.getLocalPort();
            assertTrue(exchange(client, "CONNECT " + target + " HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 200 "));
            try (Socket accepted = destination.accept()) {
                accepted.setSoTimeout(5000);
                proxy.close();
                assertEquals(-1, accepted.getInputStream().read(), "the destination sees the tunnel closed");
                assertEquals(-1, client.read(ByteBuffer.allocate(16)), "the job sees the tunnel closed");
                assertFalse(Files.exists(socket), "socket file removed");
            }
        }
    }

    @Test
    void anAddressOfThisHostIsRefusedEvenWhenThePolicyAllowsIt() throws Exception {
        Optional<InetAddress> address = allowedAddressOfThisHost();
        assumeTrue(address.isPresent(), "this host has no address outside loopback and the denied ranges");
        try (ServerSocket destination = new ServerSocket(0, 8, address.get());
             EgressProxy proxy = EgressProxy.start(dir.resolve("egress.sock"), EgressPolicy.standard(), 4);
             SocketChannel client = connect(proxy.socket())) {
            String target = address.get().getHostAddress() + ":" + destination.getLocalPort();
            String response = exchange(client, "CONNECT " + target + " HTTP/1.1\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 403 ") && response.contains("address of the worker host itself"),
                    response);
        }
    }

    @Test
    void aRequestThatIsNotForAProxyIsABadRequestSayingWhy() throws Exception {
        try (EgressProxy proxy = EgressProxy.start(dir.resolve("egress.sock"), EgressPolicy.standard(), 4);
             SocketChannel client = connect(proxy.socket())) {
            String response = exchange(client, "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 400 ") && response.contains("not an absolute http:// URL"), response);
        }
    }

    @Test
    void aNameThatDoesNotResolveIsABadGateway() throws Exception {
        try (EgressProxy proxy = EgressProxy.start(dir.resolve("egress.sock"), EgressPolicy.standard(), 4);
             SocketChannel client = connect(proxy.socket())) {
            String response = exchange(client, "CONNECT does-not-exist.invalid:443 HTTP/1.1\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 502 ") && response.contains("cannot resolve"), response);
        }
    }

    @Test
    void beyondItsConnectionLimitTheProxyAnswers503() throws Exception {
        try (EgressProxy proxy = EgressProxy.start(dir.resolve("egress.sock"), EgressPolicy.standard(), 1);
             SocketChannel first = connect(proxy.socket());
             SocketChannel second = connect(proxy.socket())) {
            // The first holds the only slot: it has not sent its request yet. The second is answered
            // 503 as soon as it is accepted, and closed: a request written now could meet a closed
            // socket (broken pipe), so the test only reads.
            ByteBuffer buf = ByteBuffer.allocate(4096);
            second.read(buf);
            String response = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 503 "), response);
        }
    }
}
