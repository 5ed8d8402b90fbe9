package dev.sandq.executor.egress;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The head of one request to the egress proxy: either {@code CONNECT host:port} (a tunnel, for
 * TLS) or a plain-HTTP request with an absolute URI ({@code GET http://host/path HTTP/1.1}).
 *
 * @param method      the request method, as sent
 * @param destination where it wants to go
 * @param pathAndQuery for a plain-HTTP request, the origin-form target sent upstream ("/" when empty)
 * @param version     HTTP/1.0 or HTTP/1.1
 * @param headers     the header lines, in order
 */
record ProxyRequest(String method, Destination destination, String pathAndQuery, String version, List<Header> headers) {

    /** The request is malformed or asks for something the proxy does not do (answered 400). */
    static final class BadRequestException extends RuntimeException {
        BadRequestException(String message) {
            super(message);
        }
    }

    record Header(String name, String value) {
    }

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive",
            "proxy-authorization", "proxy-authenticate", "te", "trailer", "upgrade");

    ProxyRequest {
        headers = List.copyOf(headers);
    }

    boolean isConnect() {
        return method.equals("CONNECT");
    }

    static ProxyRequest parse(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        String[] parts = lines[0].split(" ", -1);
        if (parts.length != 3) {
            throw new BadRequestException("malformed request line '" + printable(lines[0]) + "'");
        }
        String method = parts[0];
        String target = parts[1];
        String version = parts[2];
        if (!TOKEN.matcher(method).matches()) {
            throw new BadRequestException("malformed method '" + printable(method) + "'");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new BadRequestException("unsupported protocol version '" + printable(version) + "'");
        }
        List<Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                throw new BadRequestException("malformed header line '" + printable(line) + "'");
            }
            headers.add(new Header(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        if (method.equals("CONNECT")) {
            return new ProxyRequest(method, Destination.parse(target, -1), "", version, headers);
        }
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            throw new BadRequestException("an https:// URL goes through CONNECT (set HTTPS_PROXY), not as a plain request");
        }
        if (!lower.startsWith("http://")) {
            throw new BadRequestException("'" + printable(target) + "' is not an absolute http:// URL; this is a proxy "
                    + "(send CONNECT host:port, or the full URL)");
        }
        String rest = target.substring("http://".length());
        int slash = indexOfAny(rest, "/?#");
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        int fragment = path.indexOf('#');
        if (fragment >= 0) {
            path = path.substring(0, fragment);
        }
        if (path.startsWith("?")) {
            path = "/" + path;
        }
        return new ProxyRequest(method, Destination.parse(authority, 80), path.isEmpty() ? "/" : path, version, headers);
    }

    /**
     * The head sent to the origin for a plain-HTTP request: origin-form target, the Host header
     * from the URL (RFC 9112 §3.2.2: a proxy replaces it), hop-by-hop headers removed (and those
     * the Connection header names), and {@code Connection: close}: one request per connection,
     * so every request on it is the one whose destination was checked.
     */
    byte[] originHead() {
        Set<String> dropped = new java.util.HashSet<>(HOP_BY_HOP);
        dropped.add("host");
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("connection") || h.name().equalsIgnoreCase("proxy-connection")) {
                for (String named : h.value().split(",")) {
                    dropped.add(named.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(method).append(' ').append(pathAndQuery).append(' ').append(version).append("\r\n");
        out.append("Host: ").append(destination.port() == 80 ? hostForHeader() : destination.authority()).append("\r\n");
        for (Header h : headers) {
            if (!dropped.contains(h.name().toLowerCase(Locale.ROOT))) {
                out.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
        }
        out.append("Connection: close\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private String hostForHeader() {
        String host = destination.host();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** For error messages: at most 200 characters, control characters shown as '?'. */
    static String printable(String s) {
        String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
