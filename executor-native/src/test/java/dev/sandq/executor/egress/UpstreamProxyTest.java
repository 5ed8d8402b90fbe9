package dev.sandq.executor.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Fast
class UpstreamProxyTest {

    @Test
    void parsesHttpUrlsWithNamesAndAddresses() {
        assertEquals(new UpstreamProxy("proxy", 3128), UpstreamProxy.parse("http://proxy:3128"));
        assertEquals(new UpstreamProxy("ssrf_proxy", 3128), UpstreamProxy.parse(" HTTP://ssrf_proxy:3128/ "));
        assertEquals(new UpstreamProxy("10.0.0.3", 8080), UpstreamProxy.parse("http://10.0.0.3:8080"));
        UpstreamProxy v6 = UpstreamProxy.parse("http://[fd00::3]:3128");
        assertEquals(new UpstreamProxy("fd00::3", 3128), v6);
        assertEquals("http://[fd00::3]:3128", v6.toString());
        assertEquals("http://proxy:3128", UpstreamProxy.parse("http://proxy:3128/").toString());
    }

    @Test
    void refusesWhatItCannotUseSayingWhy() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("https://proxy:3128", "scheme 'https' is not supported"),
                Map.entry("socks5://proxy:1080", "scheme 'socks5' is not supported"),
                Map.entry("proxy:3128", "is not a URL"),
                Map.entry("http://proxy", "has no port"),
                Map.entry("http://proxy:", "bad port ''"),
                Map.entry("http://proxy:99999", "port 99999 is not between 1 and 65535"),
                Map.entry("http://proxy:0", "port 0 is not between 1 and 65535"),
                Map.entry("http://proxy:3128/squid", "has a path, query or fragment ('/squid')"),
                Map.entry("http://proxy:3128?x=1", "has a path, query or fragment ('?x=1')"),
                Map.entry("http://:3128", "host '' is not a host name or address"),
                Map.entry("http://pro xy:3128", "host 'pro xy' is not a host name or address"),
                Map.entry("http://fd00::3:3128", "put an IPv6 address in brackets"),
                Map.entry("http://[fd00::3:3128", "needs http://[v6-address]:port"),
                Map.entry("http://user@proxy:3128", "credentials are not supported"));
        cases.forEach((url, why) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UpstreamProxy.parse(url), url);
            assertTrue(e.getMessage().contains(why), url + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("egress proxy '"), e.getMessage());
        });
    }

    @Test
    void aPasswordInTheUrlIsNotRepeatedInTheError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UpstreamProxy.parse("http://sandq:s3cret@proxy:3128"));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().contains("'http://***@proxy:3128'"), e.getMessage());
    }
}
