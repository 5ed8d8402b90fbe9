package dev.sandq.executor.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * One connection from a job to the egress proxy: reads the request head, decides, opens a
 * connection to an allowed address of the destination (directly or through the upstream proxy:
 * {@link Route}), then relays bytes both ways ({@link Tunnel}). Every refusal is an HTTP response
 * whose body says why, in one line.
 */
final class ProxyExchange implements Runnable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EgressProxy.class);
    static final int MAX_HEAD_BYTES = 64 * 1024;

    private final SocketChannel client;
    private final ProxySettings settings;
    private final ExecutorService threads;
    private final java.util.Set<ProxyExchange> open;
    private volatile Socket outbound;
    private volatile boolean aborted;

    /** @param open the proxy's open connections: this one is in it while it runs, so that closing the proxy can end it */
    ProxyExchange(SocketChannel client, ProxySettings settings, ExecutorService threads, java.util.Set<ProxyExchange> open) {
        this.client = client;
        this.settings = settings;
        this.threads = threads;
        this.open = open;
    }

    /** Ends this connection from another thread (the proxy is closing): both sockets are closed. */
    void abort() {
        aborted = true;
        try {
            client.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        Socket s = outbound;
        if (s != null) {
            DirectRoute.close(s);
        }
    }

    /** Each outbound socket, as soon as it exists: closed at once when the proxy is closing already. */
    private void track(Socket socket) {
        outbound = socket;
        if (aborted) {
            DirectRoute.close(socket);
        }
    }

    /** The head and whatever the client sent after it (a TLS ClientHello, a request body). */
    private record Head(byte[] head, byte[] rest) {
    }

    @Override
    public void run() {
        open.add(this);
        try (client) {
            Head head = readHead();
            if (head == null) {
                return; // the job closed the connection without a request
            }
            ProxyRequest request;
            try {
                request = ProxyRequest.parse(head.head());
            } catch (ProxyRequest.BadRequestException e) {
                respond(400, "Bad Request", e.getMessage());
                return;
            }
            Route.Opened opened = connect(request);
            if (opened == null) {
                return; // refused or failed: already answered
            }
            try (Socket connected = opened.socket()) {
                if (request.isConnect()) {
                    write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    connected.getOutputStream().write(request.originHead());
                }
                write(opened.early());
                connected.getOutputStream().write(head.rest());
                new Tunnel(client, connected, threads, EgressProxy.IDLE_TIMEOUT).run();
            }
        } catch (IOException e) {
            // the job went away, or the destination did: nothing to tell anyone
        } finally {
            open.remove(this);
        }
    }

    private Head readHead() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_HEAD_BYTES);
        int searchFrom = 0;
        while (true) {
            if (!buf.hasRemaining()) {
                respond(431, "Request Header Fields Too Large", "the request head is over " + MAX_HEAD_BYTES + " bytes");
                return null;
            }
            int n = client.read(buf);
            if (n < 0) {
                return null;
            }
            byte[] seen = Arrays.copyOf(buf.array(), buf.position());
            int end = headEnd(seen, seen.length, Math.max(0, searchFrom - 3));
            if (end >= 0) {
                int headLength = end;
                int bodyStart = seen[end] == '\r' ? end + 4 : end + 2;
                return new Head(Arrays.copyOf(seen, headLength), Arrays.copyOfRange(seen, bodyStart, seen.length));
            }
            searchFrom = seen.length;
        }
    }

    /** Index of the blank line ending the head (CRLFCRLF or LFLF) in the first {@code length} bytes, or -1. */
    static int headEnd(byte[] b, int length, int from) {
        for (int i = from; i < length; i++) {
            if (i + 3 < length && b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
            if (i + 1 < length && b[i] == '\n' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** An open connection to an allowed address of the destination, or null after answering why not. */
    private Route.Opened connect(ProxyRequest request) throws IOException {
        Destination destination = request.destination();
        String what = (request.isConnect() ? "CONNECT " : request.method() + " http://") + destination.authority();
        InetAddress[] resolved;
        try {
            resolved = settings.resolver().resolve(destination.host());
        } catch (UnknownHostException e) {
            respond(502, "Bad Gateway", "cannot resolve " + destination.host());
            return null;
        }
        List<InetAddress> allowed = new ArrayList<>();
        String firstRefusal = null;
        for (InetAddress address : resolved) {
            EgressDecision decision = settings.decide(address);
            if (decision.allowed()) {
                allowed.add(address);
            } else if (firstRefusal == null) {
                firstRefusal = decision.reason();
            }
        }
        if (allowed.isEmpty()) {
            return refuse(what, firstRefusal);
        }
        Route route;
        try {
            route = settings.route();
        } catch (Route.Failure f) {
            respond(f.status(), f.phrase(), f.getMessage());
            return null;
        }
        for (InetAddress address : List.copyOf(allowed)) {
            Optional<String> refusal = route.refusal(address);
            if (refusal.isPresent()) {
                allowed.remove(address);
                firstRefusal = firstRefusal == null ? refusal.get() : firstRefusal;
            }
        }
        if (allowed.isEmpty()) {
            return refuse(what, firstRefusal);
        }
        Route.Failure last = null;
        for (InetAddress address : allowed) {
            try {
                return route.open(destination, address, this::track);
            } catch (Route.Failure f) {
                last = f;
                if (!f.anotherAddressMayWork()) {
                    break;
                }
            }
        }
        respond(last.status(), last.phrase(), last.getMessage());
        return null;
    }

    private Route.Opened refuse(String what, String reason) throws IOException {
        LOG.info("refused " + what + ": " + reason);
        respond(403, "Forbidden", "refused " + what + ": " + reason);
        return null;
    }

    private void respond(int status, String phrase, String message) throws IOException {
        write(response(status, phrase, message));
    }

    static byte[] response(int status, String phrase, String message) {
        byte[] body = ("sandq egress: " + message + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + phrase + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "X-Sandq-Egress: " + (status == 403 ? "refused" : "error") + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            client.write(buf);
        }
    }

    /** Too many connections at once: a 503, best effort, and close. */
    static void refuseBusy(SocketChannel client) {
        try (client) {
            client.write(ByteBuffer.wrap(response(503, "Service Unavailable", "too many connections through the proxy")));
        } catch (IOException e) {
            // the job went away
        }
    }
}
