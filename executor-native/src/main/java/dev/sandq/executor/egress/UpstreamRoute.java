package dev.sandq.executor.egress;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Through the operator's HTTP proxy: {@code CONNECT address:port} to it, naming the address the
 * policy checked (never the job's host name, which the upstream would resolve again, perhaps
 * differently: DNS rebinding), then bytes both ways once it answers 2xx. The job's own request
 * (its Host header, its TLS server name) travels inside the tunnel, untouched.
 *
 * <p>Plain-HTTP requests take the same tunnel (the egress proxy then sends the origin-form head
 * into it, as it does to a destination directly): forwarding the absolute-form request instead
 * would have to name the address in the URL, and a proxy replaces the Host header with the
 * URL's host (RFC 9112 §3.2.2), which breaks every name-based virtual host.
 */
final class UpstreamRoute implements Route {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EgressProxy.class);

    /** The most of the upstream's answer to CONNECT (status line and headers) read. */
    static final int MAX_ANSWER_BYTES = 16 * 1024;
    /** How long the upstream may take to answer CONNECT (it connects to the destination first). */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: (.*))?");

    private final UpstreamProxy proxy;
    private final List<InetAddress> addresses;

    private UpstreamRoute(UpstreamProxy proxy, List<InetAddress> addresses) {
        this.proxy = proxy;
        this.addresses = List.copyOf(addresses);
    }

    /** The route through {@code proxy}, its name resolved now. */
    static UpstreamRoute resolve(UpstreamProxy proxy, Resolver resolver) throws Failure {
        try {
            return new UpstreamRoute(proxy, List.of(resolver.resolve(proxy.host())));
        } catch (UnknownHostException e) {
            LOG.warn("cannot resolve the upstream proxy " + proxy + ": " + e.getMessage());
            throw Failure.badGateway("cannot resolve the upstream proxy " + proxy, false);
        }
    }

    /** A job never gets to the upstream itself: it would ask it for what the policy refused. */
    @Override
    public Optional<String> refusal(InetAddress address) {
        return addresses.contains(address)
                ? Optional.of(literal(address) + " is the worker's upstream proxy (" + proxy + ")")
                : Optional.empty();
    }

    @Override
    public Opened open(Destination destination, InetAddress address, Consumer<Socket> track) throws Failure {
        Socket socket = connectToProxy(track);
        String target = (address instanceof Inet6Address ? "[" + literal(address) + "]" : literal(address))
                + ":" + destination.port();
        String asked = "CONNECT " + target + " (" + destination.authority() + ")";
        try {
            socket.getOutputStream().write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            Answer answer = readAnswer(socket, asked);
            String statusLine = new String(answer.head(), StandardCharsets.ISO_8859_1).split("\r?\n", 2)[0];
            Matcher m = STATUS_LINE.matcher(statusLine);
            if (!m.matches()) {
                throw Failure.badGateway("the upstream proxy " + proxy + " answered " + asked
                        + " with something that is not HTTP: '" + ProxyRequest.printable(statusLine) + "'", false);
            }
            int status = Integer.parseInt(m.group(1));
            if (status / 100 == 2) {
                socket.setSoTimeout(0);
                return new Opened(socket, answer.rest());
            }
            throw refused(asked, destination.port(), status, m.group(2) == null ? "" : ProxyRequest.printable(m.group(2)));
        } catch (SocketTimeoutException e) {
            DirectRoute.close(socket);
            LOG.warn("the upstream proxy " + proxy + " did not answer " + asked + " within "
                    + ANSWER_TIMEOUT.toSeconds() + " s");
            throw Failure.timeout("the upstream proxy " + proxy + " did not answer " + asked + " within "
                    + ANSWER_TIMEOUT.toSeconds() + " s", false);
        } catch (IOException e) {
            DirectRoute.close(socket);
            throw Failure.badGateway("the upstream proxy " + proxy + " failed on " + asked + ": " + e.getMessage(), false);
        } catch (Failure e) {
            DirectRoute.close(socket);
            throw e;
        }
    }

    /** The upstream said no: 502 to the job (504 when it timed out), its status line in the message. */
    private Failure refused(String asked, int port, int status, String phrase) {
        String message = "the upstream proxy " + proxy + " answered " + status + (phrase.isEmpty() ? "" : " " + phrase)
                + " to " + asked;
        if (status == 407) {
            message += " (it wants credentials; sandq sends none: let it allow the worker's address)";
        } else if (status == 403 && port != 443) {
            message += " (many proxies allow CONNECT to port 443 only; sandq uses CONNECT for plain HTTP too)";
        }
        LOG.info(message);
        // 502/503/504: the upstream could not reach this address; the destination's next one may do
        boolean unreachable = status == 502 || status == 503 || status == 504;
        return status == 504 ? Failure.timeout(message, true) : Failure.badGateway(message, unreachable);
    }

    /** A connection to one of the upstream's addresses, in order. */
    private Socket connectToProxy(Consumer<Socket> track) throws Failure {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            track.accept(socket);
            try {
                socket.connect(new InetSocketAddress(address, proxy.port()), (int) EgressProxy.CONNECT_TIMEOUT.toMillis());
                socket.setTcpNoDelay(true);
                return socket;
            } catch (IOException e) {
                DirectRoute.close(socket);
                last = e;
            }
        }
        String why = last instanceof SocketTimeoutException
                ? "timed out after " + EgressProxy.CONNECT_TIMEOUT.toSeconds() + " s" : String.valueOf(last.getMessage());
        LOG.warn("cannot connect to the upstream proxy " + proxy + ": " + why);
        String message = "cannot connect to the upstream proxy " + proxy + ": " + why;
        throw last instanceof SocketTimeoutException ? Failure.timeout(message, false) : Failure.badGateway(message, false);
    }

    /** The upstream's answer to CONNECT: its head, and the tunnel's first bytes that came with it. */
    private record Answer(byte[] head, byte[] rest) {
    }

    /**
     * The answer's head (up to the blank line) and what came after it, read within the answer
     * timeout and the size bound.
     */
    private Answer readAnswer(Socket socket, String asked) throws IOException, Failure {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[MAX_ANSWER_BYTES];
        int length = 0;
        while (true) {
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                throw new SocketTimeoutException("answer timeout");
            }
            socket.setSoTimeout((int) left);
            int n = in.read(buf, length, buf.length - length);
            if (n < 0) {
                throw Failure.badGateway("the upstream proxy " + proxy + " closed the connection without answering "
                        + asked, false);
            }
            length += n;
            int end = ProxyExchange.headEnd(buf, length, Math.max(0, length - n - 3));
            if (end >= 0) {
                int bodyStart = buf[end] == '\r' ? end + 4 : end + 2;
                return new Answer(Arrays.copyOf(buf, end), Arrays.copyOfRange(buf, bodyStart, length));
            }
            if (length == buf.length) {
                throw Failure.badGateway("the upstream proxy " + proxy + " answered " + asked + " with a head over "
                        + MAX_ANSWER_BYTES + " bytes", false);
            }
        }
    }

    /** The address as text: no scope, IPv6 compressed (::1). */
    private static String literal(InetAddress address) {
        String text = address.getHostAddress().replaceFirst("%.*$", "");
        return address instanceof Inet6Address ? Cidr.compress(text) : text;
    }
}
