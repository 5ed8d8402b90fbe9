package dev.sandq.executor.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Fast
class ProxyRequestTest {

    private static ProxyRequest parse(String head) {
        return ProxyRequest.parse(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void connectNamesHostAndPort() {
        ProxyRequest r = parse("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443");
        assertTrue(r.isConnect());
        assertEquals(new Destination("example.com", 443), r.destination());
    }

    @Test
    void connectToAnIpv6LiteralKeepsTheAddress() {
        assertEquals(new Destination("::1", 8080), parse("CONNECT [::1]:8080 HTTP/1.1").destination());
    }

    @Test
    void absoluteUrlBecomesOriginFormWithHostFromTheUrlAndNoProxyHeaders() {
        ProxyRequest r = parse("POST http://10.0.0.1:8080/a/b?c=d#frag HTTP/1.1\r\nHost: evil.example\r\n"
                + "Proxy-Authorization: Basic eA==\r\nConnection: keep-alive, X-Secret\r\nX-Secret: 1\r\n"
                + "Content-Length: 3\r\nProxy-Connection: keep-alive\r\n");
        String head = new String(r.originHead(), StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("POST /a/b?c=d HTTP/1.1\r\nHost: 10.0.0.1:8080\r\n"), head);
        assertTrue(head.contains("Content-Length: 3\r\n"), head);
        assertTrue(head.endsWith("Connection: close\r\n\r\n"), head);
        for (String gone : new String[] {"evil.example", "Proxy-", "X-Secret", "keep-alive"}) {
            assertFalse(head.contains(gone), gone + " forwarded: " + head);
        }
    }

    @Test
    void urlWithoutPathOrPortGetsSlashAndPort80() {
        ProxyRequest r = parse("GET http://example.com HTTP/1.0");
        assertEquals(new Destination("example.com", 80), r.destination());
        assertEquals("/", r.pathAndQuery());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1",                              // not a proxy request
        "GET https://example.com/ HTTP/1.1",           // TLS goes through CONNECT
        "GET http://user:pw@example.com/ HTTP/1.1",    // credentials in the URL
        "CONNECT example.com HTTP/1.1",                // no port
        "CONNECT example.com:99999 HTTP/1.1",          // bad port
        "CONNECT bad_host!:443 HTTP/1.1",              // bad host
        "GET http://example.com/ HTTP/2.0",            // version
        "GET  http://example.com/ HTTP/1.1",           // malformed line
        "GET http://example.com/ HTTP/1.1\r\nno colon here",
    })
    void malformedOrUnsupportedRequestsAreBadRequests(String head) {
        assertThrows(ProxyRequest.BadRequestException.class, () -> parse(head));
    }
}
