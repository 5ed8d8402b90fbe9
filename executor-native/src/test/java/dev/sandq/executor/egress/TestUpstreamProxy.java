package dev.sandq.executor.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP forward proxy on this host's loopback, standing in for the operator's squid: it
 * speaks CONNECT and absolute-form requests and records every request line it is asked. Either it
 * connects to one fixed destination whatever address it is asked for (the tests use made-up
 * public ones, so that they need no route anywhere), or, started {@linkplain #startRouting()
 * routing}, to the address it is asked for.
 */
public final class TestUpstreamProxy implements AutoCloseable {

    /** What it answers a request: go ahead, or one of the ways a real proxy can fail. */
    enum Behaviour {
        /** 200 to CONNECT and a tunnel; forwards absolute-form requests. */
        FORWARD,
        /** 200 to CONNECT and, in the same write, the first bytes from the far side. */
        FORWARD_WITH_GREETING,
        /** 403 Forbidden to everything, as squid's {@code http_access deny}. */
        REFUSE,
        /** Something that is not HTTP. */
        GARBAGE
    }

    static final String GREETING = "SSH-2.0-greeting\r\n";

    private final ServerSocket server;
    private final InetSocketAddress destination;
    private final Thread acceptor;
    private volatile Behaviour behaviour = Behaviour.FORWARD;
    /** Request lines, in order ("CONNECT 203.0.113.7:80 HTTP/1.1"). */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** Connections accepted, with or without a request. */
    final AtomicInteger connections = new AtomicInteger();

    private TestUpstreamProxy(ServerSocket server, InetSocketAddress destination) {
        this.server = server;
        this.destination = destination;
        this.acceptor = new Thread(this::acceptLoop, "test-upstream-proxy");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** On a free port of 127.0.0.1. */
    static TestUpstreamProxy start(InetSocketAddress destination) throws IOException {
        return start(0, destination);
    }

    /** On a free port of 127.0.0.1, connecting to what it is asked for. */
    public static TestUpstreamProxy startRouting() throws IOException {
        return start(0, null);
    }

    static TestUpstreamProxy start(int port, InetSocketAddress destination) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        return new TestUpstreamProxy(server, destination);
    }

    TestUpstreamProxy behave(Behaviour b) {
        this.behaviour = b;
        return this;
    }

    /** This proxy, as the egress proxy's upstream. */
    public UpstreamProxy upstream() {
        return new UpstreamProxy("127.0.0.1", server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "test-upstream-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            String head = readHead(client.getInputStream());
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            requests.add(lines[0]);
            OutputStream out = client.getOutputStream();
            switch (behaviour) {
                case REFUSE -> {
                    out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    return;
                }
                case GARBAGE -> {
                    out.write("SSH-2.0-not-a-proxy\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    return;
                }
                default -> {
                    // forward, below
                }
            }
            try (Socket far = new Socket()) {
                far.connect(destination != null ? destination : target(lines[0]), 5000);
                if (lines[0].startsWith("CONNECT ")) {
                    String answer = "HTTP/1.1 200 Connection established\r\nProxy-Agent: test\r\n\r\n"
                            + (behaviour == Behaviour.FORWARD_WITH_GREETING ? GREETING : "");
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    // absolute form: GET http://host:port/path HTTP/1.1 -> GET /path HTTP/1.1
                    String[] parts = lines[0].split(" ");
                    String path = parts[1].replaceFirst("^http://[^/]*", "");
                    StringBuilder origin = new StringBuilder(parts[0] + " " + (path.isEmpty() ? "/" : path) + " " + parts[2]
                            + "\r\n");
                    for (int i = 1; i < lines.length; i++) {
                        origin.append(lines[i]).append("\r\n");
                    }
                    far.getOutputStream().write(origin.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                }
                Thread up = new Thread(() -> pipe(client, far), "test-upstream-pipe");
                up.setDaemon(true);
                up.start();
                pipe(far, client);
                up.join(5000);
            }
        } catch (IOException | InterruptedException e) {
            // the test is over with this connection
        }
    }

    /** host:port of "CONNECT host:port HTTP/1.1" or "GET http://host:port/path HTTP/1.1". */
    private static InetSocketAddress target(String requestLine) {
        String authority = requestLine.split(" ")[1].replaceFirst("^http://", "").replaceFirst("/.*$", "");
        int colon = authority.lastIndexOf(':');
        String host = authority.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, Integer.parseInt(authority.substring(colon + 1)));
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException ignored) {
            // one side went away
        }
    }

    /** The request head without its blank line, or null when the connection ends first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text.substring(0, text.length() - 4);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
