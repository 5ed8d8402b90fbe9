package dev.sandq.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.sandq.testing.Fast;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bench's hand-written client sends several requests over one connection and reads each answer whole. */
@Fast
@Timeout(30)
class KeepAliveHttpTest {
    @Test
    void severalPostsTravelOverOneConnection() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        Set<String> peers = ConcurrentHashMap.newKeySet();
        server.createContext("/v1/sandbox/run", ex -> {
            peers.add(ex.getRemoteAddress().toString());
            byte[] in = ex.getRequestBody().readAllBytes();
            String key = ex.getRequestHeaders().getFirst("X-Api-Key");
            byte[] out = (key + ":" + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
        try (KeepAliveHttp http = new KeepAliveHttp(server.getAddress())) {
            for (int i = 0; i < 3; i++) {
                KeepAliveHttp.Answer answer = http.postJson("/v1/sandbox/run", "k", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                assertEquals(200, answer.status());
                assertEquals("k:{\"n\":" + i + "}", new String(answer.body(), StandardCharsets.UTF_8));
            }
        } finally {
            server.stop(0);
        }
        assertEquals(1, peers.size(), "one connection for all three: " + peers);
    }
}
