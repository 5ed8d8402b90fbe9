package dev.sandq.executor.egress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a job that has the network may connect, decided on the address the egress proxy is
 * about to connect to (never on a name, so DNS cannot change the answer afterwards).
 *
 * <p>Three layers, in this order:
 * <ol>
 *   <li>{@linkplain #ALWAYS_DENIED always refused}, whatever the configuration: loopback,
 *       unspecified, link-local (169.254.0.0/16 and fe80::/10, where cloud metadata services
 *       live), multicast, reserved, the other metadata addresses (100.100.100.200,
 *       fd00:ec2::254), Teredo; and IPv6 addresses that embed a refused IPv4 address (NAT64,
 *       6to4, IPv4-compatible). The proxy also refuses this host's own addresses.</li>
 *   <li>{@code deny}: the operator's private ranges, by default RFC 1918, CGNAT (100.64.0.0/10)
 *       and IPv6 unique-local (fc00::/7); the operator may add more.</li>
 *   <li>{@code allow}: exceptions carved out of {@code deny} (a partner's host at 10.1.2.3/32).
 *       An exception can never open an always-refused range, and one that exempts nothing
 *       from {@code deny} is refused as a likely mistake.</li>
 * </ol>
 *
 * @param deny  the refused ranges (the defaults plus the operator's)
 * @param allow the exceptions to {@code deny}
 */
public record EgressPolicy(List<Cidr> deny, List<Cidr> allow) {

    /** A block refused whatever the configuration, with the reason given to the job. */
    public record Fixed(Cidr block, String why) {
    }

    public static final List<Fixed> ALWAYS_DENIED = List.of(
            fixed("0.0.0.0/8", "unspecified (\"this network\")"),
            fixed("127.0.0.0/8", "loopback (the worker host itself)"),
            fixed("169.254.0.0/16", "link-local (cloud metadata services live there)"),
            fixed("100.100.100.200/32", "a cloud metadata service"),
            fixed("192.0.0.0/24", "IETF protocol assignments"),
            fixed("224.0.0.0/4", "multicast"),
            fixed("240.0.0.0/4", "reserved (and broadcast)"),
            fixed("::/128", "unspecified"),
            fixed("::1/128", "loopback (the worker host itself)"),
            fixed("fe80::/10", "link-local"),
            fixed("fec0::/10", "site-local (deprecated)"),
            fixed("fd00:ec2::254/128", "a cloud metadata service"),
            fixed("ff00::/8", "multicast"),
            fixed("2001::/32", "Teredo (tunnelled IPv4)"));

    /** RFC 1918, CGNAT (RFC 6598) and IPv6 unique-local (RFC 4193). */
    public static final List<Cidr> DEFAULT_DENY = List.of(
            Cidr.parse("10.0.0.0/8"),
            Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.168.0.0/16"),
            Cidr.parse("100.64.0.0/10"),
            Cidr.parse("fc00::/7"));

    /** IPv6 ranges that carry an IPv4 address, and where: NAT64 (RFC 6052, 8215), 6to4, IPv4-compatible. */
    private record Embedding(Cidr block, int offset, String name) {
    }

    private static final List<Embedding> EMBEDDINGS = List.of(
            new Embedding(Cidr.parse("64:ff9b::/96"), 12, "NAT64"),
            new Embedding(Cidr.parse("64:ff9b:1::/48"), 12, "local NAT64"),
            new Embedding(Cidr.parse("2002::/16"), 2, "6to4"),
            new Embedding(Cidr.parse("::/96"), 12, "IPv4-compatible"));

    public EgressPolicy {
        deny = List.copyOf(deny);
        allow = List.copyOf(allow);
        for (Cidr exception : allow) {
            for (Fixed fixed : ALWAYS_DENIED) {
                if (exception.overlaps(fixed.block())) {
                    throw new IllegalArgumentException("egress allow " + exception + " overlaps " + fixed.block()
                            + ", which is always refused (" + fixed.why() + ")");
                }
            }
            if (deny.stream().noneMatch(exception::overlaps)) {
                throw new IllegalArgumentException("egress allow " + exception + " exempts nothing: it is in no "
                        + "denied range (" + list(deny) + "), so it is reachable already");
            }
        }
    }

    /** The default: RFC 1918, CGNAT and unique-local refused, no exceptions. */
    public static EgressPolicy standard() {
        return new EgressPolicy(DEFAULT_DENY, List.of());
    }

    /** The defaults plus the operator's ranges, minus the operator's exceptions. */
    public static EgressPolicy of(List<Cidr> extraDeny, List<Cidr> allow) {
        List<Cidr> all = new ArrayList<>(DEFAULT_DENY);
        extraDeny.stream().filter(c -> !all.contains(c)).forEach(all::add);
        return new EgressPolicy(all, allow);
    }

    /** Whether a job may connect to this address. */
    public EgressDecision decide(InetAddress address) {
        String shown = address instanceof java.net.Inet6Address
                ? Cidr.compress(address.getHostAddress().replaceFirst("%.*$", "")) : address.getHostAddress();
        Optional<String> refused = refusal(address.getAddress());
        return refused.map(why -> EgressDecision.deny(shown + " is " + why))
                .orElseGet(() -> EgressDecision.allow(shown + exceptionNote(address.getAddress())));
    }

    private Optional<String> refusal(byte[] address) {
        for (Fixed fixed : ALWAYS_DENIED) {
            if (fixed.block().contains(address)) {
                return Optional.of(fixed.why());
            }
        }
        for (Embedding e : EMBEDDINGS) {
            if (e.block().contains(address)) {
                byte[] v4 = Arrays.copyOfRange(address, e.offset(), e.offset() + 4);
                Optional<String> inner = refusal(v4);
                if (inner.isPresent()) {
                    return Optional.of(e.name() + " for " + dotted(v4) + ", which is " + inner.get());
                }
            }
        }
        for (Cidr block : deny) {
            if (block.contains(address) && allow.stream().noneMatch(a -> a.contains(address))) {
                return Optional.of("in the denied range " + block + " (operator's egress deny list)");
            }
        }
        return Optional.empty();
    }

    private String exceptionNote(byte[] address) {
        return allow.stream().filter(a -> a.contains(address)).findFirst()
                .map(a -> " (allowed by the exception " + a + ")").orElse("");
    }

    /** One paragraph for `sandq doctor`. */
    public String describe() {
        return "refused always: loopback, unspecified, link-local and metadata addresses (169.254.0.0/16, "
                + "100.100.100.200, fd00:ec2::254, fe80::/10), multicast, reserved, this host's own addresses; "
                + "refused: " + list(deny) + (allow.isEmpty() ? "" : "; except: " + list(allow));
    }

    private static String list(List<Cidr> blocks) {
        return blocks.isEmpty() ? "(none)" : blocks.stream().map(Cidr::toString).collect(Collectors.joining(", "));
    }

    private static String dotted(byte[] v4) {
        return (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "." + (v4[3] & 0xff);
    }

    private static Fixed fixed(String block, String why) {
        return new Fixed(Cidr.parse(block), why);
    }
}
