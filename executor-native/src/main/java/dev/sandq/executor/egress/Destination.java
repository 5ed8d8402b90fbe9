package dev.sandq.executor.egress;

import java.util.regex.Pattern;

/**
 * Where a proxied request wants to go, as the job wrote it: a host name or address literal, and a
 * port. Nothing is resolved here.
 */
record Destination(String host, int port) {

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    Destination {
        if (port < 1 || port > 65535) {
            throw new ProxyRequest.BadRequestException("port " + port + " is not between 1 and 65535");
        }
    }

    /** Parses {@code host[:port]} or {@code [v6]:port}; userinfo (user@host) is refused. */
    static Destination parse(String authority, int defaultPort) {
        if (authority.isEmpty()) {
            throw new ProxyRequest.BadRequestException("the request has no host");
        }
        if (authority.contains("@")) {
            throw new ProxyRequest.BadRequestException("credentials in the address ('" + authority + "') are not supported");
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new ProxyRequest.BadRequestException("unterminated IPv6 literal in '" + authority + "'");
            }
            host = authority.substring(1, close);
            if (!IPV6_LITERAL.matcher(host).matches() || !host.contains(":")) {
                throw new ProxyRequest.BadRequestException("'" + host + "' is not an IPv6 address");
            }
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new ProxyRequest.BadRequestException("unexpected '" + rest + "' after the IPv6 literal");
                }
                portText = rest.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (!HOST_NAME.matcher(host).matches()) {
                throw new ProxyRequest.BadRequestException("'" + host + "' is not a host name or address");
            }
        }
        int port = defaultPort;
        if (portText != null) {
            if (!portText.matches("\\d{1,5}")) {
                throw new ProxyRequest.BadRequestException("'" + portText + "' is not a port number");
            }
            port = Integer.parseInt(portText);
        }
        if (port < 0) {
            throw new ProxyRequest.BadRequestException("'" + authority + "' has no port");
        }
        return new Destination(host, port);
    }

    /** host:port, with brackets around an IPv6 literal, as in a Host header or CONNECT target. */
    String authority() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return authority();
    }
}
