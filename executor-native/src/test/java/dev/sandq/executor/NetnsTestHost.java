package dev.sandq.executor;

import dev.sandq.testing.Await;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate test host: its own network namespace ({@code ip netns add}), joined to this host by
 * a veth pair on a private /30 ({@code 10.213.N.0/30}: this host .1, the test host .2), with a
 * second address in another private range ({@code 172.31.N.2/32}, routed over the same veth) and
 * an HTTP server on port 8080 of both that answers {@link #BODY}. Everything is removed on close.
 * N comes from this process's pid, so two test runs on one machine do not collide.
 */
final class NetnsTestHost implements AutoCloseable {
    static final String BODY = "hello from the test host\n";
    static final int PORT = 8080;

    private final String namespace;
    private final String hostVeth;
    private final String address;
    private final String otherPrivateAddress;
    private final Path webRoot;
    private Process server;

    private NetnsTestHost(long id, Path webRoot) {
        int n = (int) (id % 250) + 1;
        this.namespace = "sandq-test-" + id;
        this.hostVeth = "sqh" + id;
        this.address = "10.213." + n + ".2";
        this.otherPrivateAddress = "172.31." + n + ".2";
        this.webRoot = webRoot;
    }

    static NetnsTestHost start(Path webRoot) throws IOException, InterruptedException {
        NetnsTestHost host = new NetnsTestHost(ProcessHandle.current().pid(), webRoot);
        try {
            host.setUp();
            return host;
        } catch (IOException | RuntimeException | InterruptedException e) {
            host.close();
            throw e;
        }
    }

    /** The test host's address on the /30. */
    String address() {
        return address;
    }

    /** The test host's address in 172.16.0.0/12, which the default deny list refuses. */
    String otherPrivateAddress() {
        return otherPrivateAddress;
    }

    String url(String hostAddress) {
        return "http://" + hostAddress + ":" + PORT + "/index.txt";
    }

    private void setUp() throws IOException, InterruptedException {
        String prefix = address.substring(0, address.lastIndexOf('.') + 1);
        String nsVeth = "sqn" + hostVeth.substring(3);
        ip("netns", "add", namespace);
        ip("link", "add", hostVeth, "type", "veth", "peer", "name", nsVeth);
        ip("link", "set", nsVeth, "netns", namespace);
        ip("addr", "add", prefix + "1/30", "dev", hostVeth);
        ip("link", "set", hostVeth, "up");
        ip("-n", namespace, "addr", "add", address + "/30", "dev", nsVeth);
        ip("-n", namespace, "addr", "add", otherPrivateAddress + "/32", "dev", nsVeth);
        ip("-n", namespace, "link", "set", nsVeth, "up");
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("route", "add", otherPrivateAddress + "/32", "dev", hostVeth);
        Files.writeString(webRoot.resolve("index.txt"), BODY);
        server = new ProcessBuilder("ip", "netns", "exec", namespace, "python3", "-m", "http.server",
                "--bind", "0.0.0.0", "--directory", webRoot.toString(), Integer.toString(PORT))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        awaitServing(url(address));
    }

    /** Waits until this host (outside the sandbox) gets the page: the server is up and routable. */
    private void awaitServing(String url) {
        List<IOException> failed = new ArrayList<>();
        Await.until(Duration.ofSeconds(15), Duration.ofMillis(50), () -> {
            if (!server.isAlive()) {
                throw new IOException("the test host's HTTP server exited with " + server.exitValue());
            }
            try {
                return get(url).equals(BODY);
            } catch (IOException e) {
                failed.add(e);
                return false;
            }
        }, () -> "the test host's HTTP server to answer " + url
                + (failed.isEmpty() ? "" : "; last: " + failed.get(failed.size() - 1)));
    }

    /** A GET from this host, outside any sandbox, with no proxy. */
    static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection(java.net.Proxy.NO_PROXY);
        c.setConnectTimeout(2000);
        c.setReadTimeout(2000);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        // no pipe left to the garbage collector: a test that counts this JVM's fds may run next
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).start();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    /** Stops the server and deletes the namespace (which takes the veth pair and the route with it). */
    @Override
    public void close() throws InterruptedException {
        if (server != null) {
            server.destroyForcibly();
            server.waitFor();
        }
        try {
            ip("netns", "del", namespace);
        } catch (IOException e) {
            // not created, or already gone
        }
        try {
            ip("link", "del", hostVeth);
        } catch (IOException e) {
            // gone with the namespace, as expected
        }
    }
}
