package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sandq.executor.egress.Cidr;
import dev.sandq.executor.egress.EgressPolicy;
import dev.sandq.executor.egress.TestUpstreamProxy;
import dev.sandq.executor.internal.ProcessSandbox;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.executor.testing.FreshIds;
import dev.sandq.testing.Slow;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs with the network, for real: the launcher's relay, the worker's egress proxy, a separate
 * test host in its own network namespace (reachable, by exception to the deny list), and servers
 * on this host's loopback and own address (unreachable). Needs root and iproute2 (CI has both).
 */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SandboxNetworkTest {
    private static final String SECRET = "the worker's own service\n";

    @TempDir
    static Path dir;

    private static NetnsTestHost testHost;
    private static HttpServer loopbackServer;
    private static HttpServer ownAddressServer;
    private static SandboxConfig config;
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false),
                "needs root to create a network namespace for the test host");
        assumeTrue(Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip").anyMatch(p -> Files.isExecutable(Path.of(p))),
                "needs iproute2 (apt-get install iproute2)");
        testHost = NetnsTestHost.start(Files.createDirectory(dir.resolve("www")));
        loopbackServer = serve(InetAddress.getLoopbackAddress());
        Optional<InetAddress> own = ownNonLoopbackAddress();
        if (own.isPresent()) {
            ownAddressServer = serve(own.get());
        }
        // A slot uid of this run's own: the relay check sees only our launchers.
        config = SandboxConfig.builder().slots(1).firstSlotUid(FreshIds.uidRange(2)).networkAllowed(true)
                .egress(EgressPolicy.of(List.of(), List.of(Cidr.parse(testHost.address() + "/32")))).build();
        sandbox = LocalSandbox.create(config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
        for (HttpServer s : new HttpServer[] {loopbackServer, ownAddressServer}) {
            if (s != null) {
                s.stop(0);
            }
        }
        if (testHost != null) {
            testHost.close();
        }
    }

    private static HttpServer serve(InetAddress address) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 16);
        server.createContext("/", exchange -> {
            byte[] body = SECRET.getBytes(StandardCharsets.UTF_8);
            // one request per connection: HttpServer.stop() leaves idle keep-alive connections to the GC
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/";
    }

    /** An IPv4 address of this host, not loopback and not in a denied range (so only the own-address check refuses it). */
    private static Optional<InetAddress> ownNonLoopbackAddress() throws IOException {
        EgressPolicy standard = EgressPolicy.standard();
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            for (InetAddress a : nif.inetAddresses().toList()) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && standard.decide(a).allowed()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private static Result run(Language language, String code) throws InterruptedException {
        Result r = sandbox.run(Job.of(language, code).withNetwork(true)
                .withLimits(JobLimits.DEFAULTS.withWallTimeMs(20_000)));
        assertEquals(Status.OK, r.status(), r::toString);
        return r;
    }

    private static String python(String body) {
        return """
                import json, os, socket, sys, http.client, urllib.request
                def show(label, value):
                    print(label + ": " + str(value).strip())
                def get(url):
                    import requests
                    try:
                        r = requests.get(url, timeout=10)
                        return str(r.status_code) + " " + r.text
                    except Exception as e:
                        return "EXC " + type(e).__name__ + " " + str(e)
                def tunnel(host, port):
                    c = http.client.HTTPConnection("127.0.0.1", 3128, timeout=10)
                    c.set_tunnel(host, port)
                    try:
                        c.request("GET", "/index.txt")
                        r = c.getresponse()
                        return str(r.status) + " " + r.read().decode()
                    except OSError as e:
                        return "EXC " + str(e)
                def direct(host, port):
                    try:
                        socket.create_connection((host, port), timeout=3).close()
                        return "connected"
                    except OSError as e:
                        return "EXC errno " + str(e.errno)
                """ + body;
    }

    @Test
    void pythonRequestsAndUrllibReachTheTestHostThroughTheProxy() throws Exception {
        Result r = run(Language.PYTHON3, python("""
                show("requests", get("%s"))
                show("urllib", urllib.request.urlopen("%s", timeout=10).read().decode())
                """.formatted(testHost.url(testHost.address()), testHost.url(testHost.address()))));
        assertAll(
                () -> assertTrue(r.stdout().contains("requests: 200 " + NetnsTestHost.BODY.strip()), r::toString),
                () -> assertTrue(r.stdout().contains("urllib: " + NetnsTestHost.BODY.strip()), r::toString));
    }

    @Test
    void pythonConnectTunnelReachesTheTestHost() throws Exception {
        Result r = run(Language.PYTHON3, python("show('tunnel', tunnel('%s', %d))"
                .formatted(testHost.address(), NetnsTestHost.PORT)));
        assertTrue(r.stdout().contains("tunnel: 200 " + NetnsTestHost.BODY.strip()), r::toString);
    }

    @Test
    void nodeHttpConnectClientAndAbsoluteUrlReachTheTestHost() throws Exception {
        String code = """
                const http = require('http');
                const proxy = new URL(process.env.HTTPS_PROXY);
                function read(res, label, resolve) {
                  let body = ''; res.on('data', d => body += d); res.on('end', () => resolve(label + ': ' + res.statusCode + ' ' + body.trim()));
                }
                // CONNECT, as an https client would (here with plain HTTP inside the tunnel)
                const viaConnect = (host, port) => new Promise((resolve, reject) => {
                  http.request({host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: host + ':' + port})
                    .on('connect', (res, socket) => {
                      if (res.statusCode !== 200) { socket.destroy(); return resolve('connect: ' + res.statusCode); }
                      http.get({path: '/index.txt', headers: {Host: host}, createConnection: () => socket},
                               r => read(r, 'connect', resolve)).on('error', reject);
                    }).on('error', reject).end();
                });
                // plain HTTP: the absolute URL as the request target
                const absolute = (url) => new Promise((resolve, reject) => {
                  http.get({host: proxy.hostname, port: proxy.port, path: url}, r => read(r, 'absolute', resolve)).on('error', reject);
                });
                (async () => {
                  console.log(await viaConnect('%s', %d));
                  console.log(await absolute('%s'));
                  console.log(await viaConnect('127.0.0.1', %d));
                })();
                """.formatted(testHost.address(), NetnsTestHost.PORT, testHost.url(testHost.address()),
                loopbackServer.getAddress().getPort());
        Result r = run(Language.NODEJS, code);
        assertAll(
                () -> assertTrue(r.stdout().contains("connect: 200 " + NetnsTestHost.BODY.strip()), r::toString),
                () -> assertTrue(r.stdout().contains("absolute: 200 " + NetnsTestHost.BODY.strip()), r::toString),
                () -> assertTrue(r.stdout().contains("connect: 403"), r::toString));
    }

    @Test
    void serverOnTheHostsLoopbackIsUnreachable() throws Exception {
        String url = url(loopbackServer);
        int port = loopbackServer.getAddress().getPort();
        assertEquals(SECRET, NetnsTestHost.get(url), "the loopback server must answer this host");
        Result r = run(Language.PYTHON3, python("""
                show("ipv4", get("%1$s"))
                show("name", get("http://localhost:%2$d/"))
                show("ipv6", get("http://[::1]:%2$d/"))
                show("mapped", get("http://[::ffff:127.0.0.1]:%2$d/"))
                show("tunnel", tunnel("127.0.0.1", %2$d))
                show("direct", direct("127.0.0.1", %2$d))
                s = socket.socket(socket.AF_UNIX)
                s.connect("/run/sandq/egress.sock")
                s.sendall(b"GET %1$s HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
                show("socket", s.recv(4096).decode().split("\\r\\n")[0])
                """.formatted(url, port)));
        assertAll(
                () -> assertTrue(r.stdout().contains("ipv4: 403 sandq egress: refused GET http://127.0.0.1:" + port
                        + ": 127.0.0.1 is loopback"), r::toString),
                () -> assertTrue(r.stdout().contains("name: 403 sandq egress: refused GET http://localhost:"), r::toString),
                () -> assertTrue(r.stdout().contains("ipv6: 403 "), r::toString),
                () -> assertTrue(r.stdout().contains("mapped: 403 "), r::toString),
                () -> assertTrue(r.stdout().contains("tunnel: EXC Tunnel connection failed: 403"), r::toString),
                () -> assertTrue(r.stdout().contains("direct: EXC errno 111"), r::toString), // the job's own empty loopback
                () -> assertTrue(r.stdout().contains("socket: HTTP/1.1 403 Forbidden"), r::toString),
                () -> assertTrue(!r.stdout().contains(SECRET.strip()), r::toString));
    }

    @Test
    void serverOnTheHostsOwnAddressIsUnreachable() throws Exception {
        assumeTrue(ownAddressServer != null, "this host has no IPv4 address outside loopback and the denied ranges");
        String url = url(ownAddressServer);
        assertEquals(SECRET, NetnsTestHost.get(url), "the server must answer this host");
        Result r = run(Language.PYTHON3, python("show('own', get('%s'))".formatted(url)));
        assertTrue(r.stdout().contains("own: 403 ") && r.stdout().contains("is an address of the worker host itself"),
                r::toString);
    }

    @Test
    void withAnUpstreamProxyJobsGoThroughItToTheCheckedAddress() throws Exception {
        try (TestUpstreamProxy upstream = TestUpstreamProxy.startRouting();
             Sandbox through = LocalSandbox.create(config.toBuilder().egressProxy(upstream.upstream()).build())) {
            Result r = through.run(Job.of(Language.PYTHON3, python("""
                    show("requests", get("%s"))
                    show("tunnel", tunnel("%s", %d))
                    show("metadata", get("http://169.254.169.254/latest/meta-data/"))
                    """.formatted(testHost.url(testHost.address()), testHost.address(), NetnsTestHost.PORT)))
                    .withNetwork(true).withLimits(JobLimits.DEFAULTS.withWallTimeMs(20_000)));
            assertEquals(Status.OK, r.status(), r::toString);
            String asked = "CONNECT " + testHost.address() + ":" + NetnsTestHost.PORT + " HTTP/1.1";
            assertAll(
                    () -> assertTrue(r.stdout().contains("requests: 200 " + NetnsTestHost.BODY.strip()), r::toString),
                    () -> assertTrue(r.stdout().contains("tunnel: 200 " + NetnsTestHost.BODY.strip()), r::toString),
                    () -> assertTrue(r.stdout().contains("metadata: 403 sandq egress: refused GET "
                            + "http://169.254.169.254:80"), r::toString),
                    () -> assertEquals(List.of(asked, asked), upstream.requests,
                            "plain HTTP and the tunnel both as CONNECT to the address; the refused one never"));
        }
    }

    @Test
    void metadataAddressesAreRefused() throws Exception {
        Result r = run(Language.PYTHON3, python("""
                show("aws", get("http://169.254.169.254/latest/meta-data/"))
                show("alibaba", get("http://100.100.100.200/latest/meta-data/"))
                show("tunnel", tunnel("169.254.169.254", 80))
                """));
        assertAll(
                () -> assertTrue(r.stdout().contains("aws: 403 sandq egress: refused GET http://169.254.169.254:80: "
                        + "169.254.169.254 is link-local"), r::toString),
                () -> assertTrue(r.stdout().contains("alibaba: 403 "), r::toString),
                () -> assertTrue(r.stdout().contains("tunnel: EXC Tunnel connection failed: 403"), r::toString));
    }

    @Test
    void privateRangeIsRefusedWhileTheTestHostIsAllowedByException() throws Exception {
        String denied = testHost.url(testHost.otherPrivateAddress());
        assertEquals(NetnsTestHost.BODY, NetnsTestHost.get(denied), "the test host answers this host on that address too");
        Result r = run(Language.PYTHON3, python("""
                show("allowed", get("%s"))
                show("denied", get("%s"))
                show("direct", direct("%s", %d))
                """.formatted(testHost.url(testHost.address()), denied, testHost.address(), NetnsTestHost.PORT)));
        assertAll(
                () -> assertTrue(r.stdout().contains("allowed: 200 " + NetnsTestHost.BODY.strip()), r::toString),
                () -> assertTrue(r.stdout().contains("denied: 403 sandq egress: refused GET http://"
                        + testHost.otherPrivateAddress() + ":8080: " + testHost.otherPrivateAddress()
                        + " is in the denied range 172.16.0.0/12"), r::toString),
                () -> assertTrue(r.stdout().contains("direct: EXC errno 101"), r::toString)); // ENETUNREACH: only lo
    }

    @Test
    void packetAndRawSocketsStayDeniedWithTheNetworkOn() throws Exception {
        Result r = run(Language.PYTHON3, """
                import socket
                for name, family, kind in [("packet", socket.AF_PACKET, socket.SOCK_RAW),
                                           ("packet-dgram", socket.AF_PACKET, socket.SOCK_DGRAM),
                                           ("raw4", socket.AF_INET, socket.SOCK_RAW),
                                           ("raw6", socket.AF_INET6, socket.SOCK_RAW)]:
                    try:
                        socket.socket(family, kind, 0 if family == socket.AF_PACKET else socket.IPPROTO_ICMP)
                        print(name, "created")
                    except OSError as e:
                        print(name, "errno", e.errno)
                """);
        assertAll(
                () -> assertTrue(r.stdout().contains("packet errno 97"), r::toString),
                () -> assertTrue(r.stdout().contains("packet-dgram errno 97"), r::toString),
                () -> assertTrue(r.stdout().contains("raw4 errno 1"), r::toString),
                () -> assertTrue(r.stdout().contains("raw6 errno 1"), r::toString),
                () -> assertTrue(!r.stdout().contains("created"), r::toString));
    }

    @Test
    void jobWithoutEnableNetworkHasNoNetworkOnAWorkerThatAllowsIt() throws Exception {
        Result r = sandbox.run(Job.of(Language.PYTHON3, """
                import os, socket
                print("proxy env:", sorted(k for k in os.environ if "proxy" in k.lower()))
                print("socket file:", os.path.exists("/run/sandq/egress.sock"))
                try:
                    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    print("inet: created")
                except OSError as e:
                    print("inet: errno", e.errno)
                """));
        assertAll(
                () -> assertEquals(Status.OK, r.status(), r::toString),
                () -> assertTrue(r.stdout().contains("proxy env: []"), r::toString),
                () -> assertTrue(r.stdout().contains("socket file: False"), r::toString),
                () -> assertTrue(r.stdout().contains("inet: errno 97"), r::toString));
    }

    @Test
    void enableNetworkIsRejectedByAWorkerThatDoesNotAllowIt() throws Exception {
        try (Sandbox closed = LocalSandbox.create(SandboxConfig.builder().slots(1).build())) {
            Result r = closed.run(Job.of(Language.PYTHON3, "print('ran')").withNetwork(true));
            assertEquals(Status.REJECTED, r.status(), r::toString);
            assertTrue(r.error().contains("does not allow jobs to use the network"), r::toString);
        }
    }

    @Test
    void theRelayEndsWithTheJobEvenWithAConnectionOpen() throws Exception {
        CompletableFuture<Result> job = CompletableFuture.supplyAsync(() -> {
            try {
                return run(Language.PYTHON3, python("""
                        print(os.readlink("/proc/self/ns/net"), flush=True)
                        s = socket.create_connection(("127.0.0.1", 3128))
                        s.sendall(b"CONNECT %s:%d HTTP/1.1\\r\\n\\r\\n")
                        print(s.recv(100).decode().split("\\r\\n")[0], flush=True)
                        import time
                        time.sleep(2)
                        os._exit(0)
                        """.formatted(testHost.address(), NetnsTestHost.PORT)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // The relays seen while the job runs, by network namespace: the job's own is among them
        // (else the check below could not fail), whichever way its sandbox was started (exec'ed,
        // prestarted or forked by a zygote), and the next jobs' prestarted sandboxes' are not its.
        Set<String> relayNamespaces = new java.util.HashSet<>();
        while (!job.isDone()) {
            relays().forEach(pid -> netns(pid).ifPresent(relayNamespaces::add));
            TimeUnit.MILLISECONDS.sleep(10); // another process's progress: nothing to block on
        }
        Result r = job.get(30, TimeUnit.SECONDS);
        String[] lines = r.stdout().split("\n");
        assertTrue(lines.length >= 2 && lines[1].startsWith("HTTP/1.1 200"), r::toString);
        String jobNamespace = lines[0];
        assertTrue(relayNamespaces.contains(jobNamespace),
                "no egress relay seen in the job's network namespace " + jobNamespace + " while it ran: " + relayNamespaces);
        assertEquals(List.of(), ProcessHandle.allProcesses().filter(p -> netns(p.pid()).equals(Optional.of(jobNamespace)))
                .map(ProcessHandle::pid).toList(), "processes left in the job's network namespace (its relay)");
    }

    /** Egress relays: sandq-relay running as one of the sandbox's slot uids. */
    private static List<Long> relays() {
        int firstUid = config.firstSlotUid();
        int lastUid = firstUid + config.sandboxSlots() - 1;
        return ProcessHandle.allProcesses().filter(p -> isRelay(p.pid(), firstUid, lastUid))
                .map(ProcessHandle::pid).toList();
    }

    /** A process's network namespace, as {@code readlink /proc/PID/ns/net} names it; empty once it is gone. */
    private static Optional<String> netns(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * With Python's launch path the zygote, a job with the network is forked too, by a zygote of its
     * own started with the network's environment (the proxy variables), while jobs without it keep
     * theirs: neither kind sees the other's environment.
     */
    @Test
    void withTheZygotePathAJobWithTheNetworkIsForkedByAZygoteOfItsOwn() throws Exception {
        SandboxConfig zygotePath = SandboxConfig.builder().slots(1).firstSlotUid(FreshIds.uidRange(2)).networkAllowed(true)
                .egress(config.egress()).launchPath(Language.PYTHON3, LaunchPath.ZYGOTE).build();
        String forked = "import os\nprint('libsandq-launcher.so' in open('/proc/self/maps').read(), "
                + "sorted(k for k in os.environ if 'proxy' in k.lower()))\n";
        Job withNetwork = Job.of(Language.PYTHON3, forked + "import urllib.request\nprint(urllib.request.urlopen('"
                + testHost.url(testHost.address()) + "', timeout=10).read().decode(), end='')\n").withNetwork(true);
        Job without = Job.of(Language.PYTHON3, forked);
        try (ProcessSandbox zygotes = (ProcessSandbox) LocalSandbox.create(zygotePath)) {
            for (int i = 0; i < 3; i++) { // the first of each kind may find no sandbox prestarted for it
                Result net = zygotes.run(withNetwork);
                Result plain = zygotes.run(without);
                if (i == 0) {
                    continue;
                }
                assertEquals("True ['HTTPS_PROXY', 'HTTP_PROXY', 'http_proxy', 'https_proxy']\n" + NetnsTestHost.BODY,
                        net.stdout(), net::toString);
                assertEquals("True []\n", plain.stdout(), plain::toString);
            }
            assertEquals(2, zygotes.pythonZygotes().size(), "a zygote with the network's environment and one without");
        }
    }

    /** A job with the network runs in a sandbox prestarted for it once one like it has run: its interpreter froze its start-up's objects. */
    @Test
    void aJobWithTheNetworkRunsInASandboxPrestartedForIt() throws Exception {
        String code = "import gc, urllib.request, os\nprint(gc.get_freeze_count() > 0, os.environ['HTTP_PROXY'])\n";
        run(Language.PYTHON3, code);
        Result r = run(Language.PYTHON3, code);
        assertEquals("True http://127.0.0.1:3128\n", r.stdout(), r::toString);
    }

    /** The launcher names its egress relay sandq-relay; it runs as the job's slot uid. */
    private static boolean isRelay(long pid, int firstUid, int lastUid) {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            boolean relay = status.stream().anyMatch(l -> l.equals("Name:\tsandq-relay"));
            boolean asSlotUid = status.stream().filter(l -> l.startsWith("Uid:\t"))
                    .map(l -> Integer.parseInt(l.split("\t")[1]))
                    .anyMatch(uid -> uid >= firstUid && uid <= lastUid);
            return relay && asSlotUid;
        } catch (IOException e) {
            return false; // gone
        }
    }
}
