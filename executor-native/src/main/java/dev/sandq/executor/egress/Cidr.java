package dev.sandq.executor.egress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block, such as {@code 10.0.0.0/8} or {@code fc00::/7}. The network
 * address must have no bits set beyond the prefix ({@code 10.1.0.0/8} is refused: it is
 * almost always a typo for something else).
 *
 * @param network the first address of the block (4 or 16 bytes)
 * @param prefix  how many leading bits are fixed
 */
public record Cidr(byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    public Cidr {
        network = network.clone();
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, got " + network.length);
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix /" + prefix + " does not fit a " + network.length * 8 + "-bit address");
        }
    }

    /** Parses {@code ADDRESS/PREFIX}, or a bare address as a single-address block. */
    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        // literals only: InetAddress.getByName would resolve a name, or read "10.1" as 10.0.0.1
        boolean v4 = IPV4.matcher(address).matches();
        if (v4 && java.util.Arrays.stream(address.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address block (an octet is above 255)");
        }
        if (!v4 && !(address.contains(":") && IPV6.matcher(address).matches())) {
            throw new IllegalArgumentException("'" + text + "' is not an address block (like 10.0.0.0/8 or fc00::/7)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address block: " + e.getMessage(), e);
        }
        if (v4 && bytes.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        int bits = bytes.length * 8;
        int prefix;
        if (slash < 0) {
            prefix = bits;
        } else {
            String p = s.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length (0.." + bits + ")");
            }
            prefix = Integer.parseInt(p);
        }
        Cidr cidr = new Cidr(bytes, prefix);
        if (!cidr.contains(bytes) || !java.util.Arrays.equals(cidr.firstAddress(bytes), bytes)) {
            throw new IllegalArgumentException("'" + text + "' has address bits set beyond /" + prefix
                    + " (did you mean " + new Cidr(cidr.firstAddress(bytes), prefix) + "?)");
        }
        return cidr;
    }

    private byte[] firstAddress(byte[] address) {
        byte[] first = address.clone();
        for (int bit = prefix; bit < first.length * 8; bit++) {
            first[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return first;
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Whether the address (4 or 16 bytes) is in this block; an address of the other family never is. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    /** Whether the two blocks share an address (aligned blocks: one then contains the other). */
    public boolean overlaps(Cidr other) {
        return contains(other.network) || other.contains(network);
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            InetAddress a = InetAddress.getByAddress(network);
            String host = a instanceof Inet4Address ? a.getHostAddress() : compress(a.getHostAddress());
            return host + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Java prints 0:0:0:0:0:0:0:1; people write ::1. Compresses the longest run of zero groups. */
    static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups.length; ) {
            if (!groups[i].equals("0")) {
                i++;
                continue;
            }
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLen && j - i > 1) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }
}
