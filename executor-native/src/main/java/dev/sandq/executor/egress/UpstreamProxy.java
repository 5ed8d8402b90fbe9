package dev.sandq.executor.egress;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The operator's HTTP forward proxy, for deployments whose only way out is one (a squid on an
 * internal network, Dify's {@code ssrf_proxy}): the egress proxy then reaches every destination
 * it has allowed with {@code CONNECT address:port} to this proxy instead of connecting itself.
 * Written {@code http://host:port}; no other scheme, no credentials, no path.
 *
 * <p>It is the worker's own way out, not a destination: the egress policy does not apply to it
 * (it is typically on a private address), and a job can never ask for its addresses.
 *
 * @param host a host name or address literal (an IPv6 literal without brackets)
 * @param port its port
 */
public record UpstreamProxy(String host, int port) {

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,252})");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    public UpstreamProxy {
        Objects.requireNonNull(host, "host");
        boolean v6 = host.contains(":");
        if (v6 ? !IPV6_LITERAL.matcher(host).matches() : !HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("egress proxy host '" + host + "' is not a host name or address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("egress proxy port " + port + " is not between 1 and 65535");
        }
    }

    /**
     * Parses {@code http://host:port} ({@code http://[v6]:port} for an IPv6 literal; a trailing
     * "/" is accepted).
     *
     * @throws IllegalArgumentException saying what is wrong, with the value (credentials masked)
     */
    public static UpstreamProxy parse(String url) {
        String text = url.strip();
        String shown = masked(text);
        int scheme = text.indexOf("://");
        if (scheme < 0) {
            throw new IllegalArgumentException("egress proxy '" + shown + "' is not a URL: give http://host:port");
        }
        if (!text.substring(0, scheme).toLowerCase(Locale.ROOT).equals("http")) {
            throw new IllegalArgumentException("egress proxy '" + shown + "': scheme '" + text.substring(0, scheme)
                    + "' is not supported; give http://host:port (sandq speaks plain HTTP CONNECT to the proxy)");
        }
        String rest = text.substring(scheme + 3);
        int end = indexOfAny(rest, "/?#");
        String authority = end < 0 ? rest : rest.substring(0, end);
        String after = end < 0 ? "" : rest.substring(end);
        if (authority.contains("@")) {
            throw new IllegalArgumentException("egress proxy '" + shown + "': credentials are not supported; "
                    + "let the proxy allow the worker's address without authentication");
        }
        if (!after.isEmpty() && !after.equals("/")) {
            throw new IllegalArgumentException("egress proxy '" + shown + "' has a path, query or fragment ('"
                    + after + "'); give only http://host:port");
        }
        String host;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0 || !authority.startsWith(":", close + 1)) {
                throw new IllegalArgumentException("egress proxy '" + shown + "' needs http://[v6-address]:port");
            }
            host = authority.substring(1, close);
            portText = authority.substring(close + 2);
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("egress proxy '" + shown + "' has no port (like http://proxy:3128)");
            }
            host = authority.substring(0, colon);
            portText = authority.substring(colon + 1);
            if (host.contains(":")) {
                throw new IllegalArgumentException("egress proxy '" + shown + "': put an IPv6 address in brackets "
                        + "(http://[::1]:3128)");
            }
        }
        if (!portText.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("egress proxy '" + shown + "' has a bad port '" + portText + "'");
        }
        try {
            return new UpstreamProxy(host, Integer.parseInt(portText));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("egress proxy '" + shown + "': " + e.getMessage()
                    .replaceFirst("^egress proxy ", ""), e);
        }
    }

    /** host:port, an IPv6 literal in brackets. */
    public String authority() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "http://" + authority();
    }

    /** The URL with whatever stands before an '@' (a password, probably) replaced by "***". */
    private static String masked(String url) {
        int start = url.indexOf("://") < 0 ? 0 : url.indexOf("://") + 3;
        int end = indexOfAny(url.substring(start), "/?#");
        String authority = end < 0 ? url.substring(start) : url.substring(start, start + end);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        return url.substring(0, start) + "***" + url.substring(start + at);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
