package uvs.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as two longs, the form the engine's hot path uses. IPv4 is held in the
 * low 32 bits of {@code lo} with {@code hi == 0}. Control-plane value type: packets never make one.
 *
 * @param af {@link Af#INET} or {@link Af#INET6}
 * @param hi high 64 bits (IPv6), 0 for IPv4
 * @param lo low 64 bits (IPv6) or the IPv4 address in the low 32 bits
 */
public record IpAddress(int af, long hi, long lo) implements Comparable<IpAddress> {

    /** Validates the family and that an IPv4 value fits 32 bits. */
    public IpAddress {
        if (af != Af.INET && af != Af.INET6) {
            throw new IllegalArgumentException("unknown address family " + af);
        }
        if (af == Af.INET && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address out of range");
        }
    }

    /** An IPv4 address from its 32-bit value (network order as an int, e.g. 0x0a000001 = 10.0.0.1). */
    public static IpAddress v4(int addr) {
        return new IpAddress(Af.INET, 0, addr & 0xffff_ffffL);
    }

    /** An IPv6 address from its two halves. */
    public static IpAddress v6(long hi, long lo) {
        return new IpAddress(Af.INET6, hi, lo);
    }

    /**
     * Parses a numeric IPv4 or IPv6 address (no name resolution; brackets around IPv6 are accepted).
     *
     * @throws IllegalArgumentException naming the text when it is not an address
     */
    public static IpAddress parse(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.isEmpty() || !isNumericAddress(t)) {
            throw new IllegalArgumentException("invalid address: " + text);
        }
        try {
            byte[] b = InetAddress.getByName(t).getAddress();
            if (b.length == 4 && t.indexOf(':') >= 0) {
                // Java hands back IPv4-mapped IPv6 text as an IPv4 address
                return v6(0, 0xffff_0000_0000L | (fromBytes(b).lo));
            }
            return fromBytes(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid address: " + text, e);
        }
    }

    private static boolean isNumericAddress(String t) {
        if (t.indexOf(':') >= 0) {
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                boolean ok = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** From 4 or 16 network-order bytes. */
    public static IpAddress fromBytes(byte[] b) {
        if (b.length == 4) {
            int v = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
            return v4(v);
        }
        if (b.length == 16) {
            long h = 0;
            long l = 0;
            for (int i = 0; i < 8; i++) {
                h = h << 8 | (b[i] & 0xff);
                l = l << 8 | (b[i + 8] & 0xff);
            }
            return v6(h, l);
        }
        throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + b.length);
    }

    /** Network-order bytes (4 or 16). */
    public byte[] toBytes() {
        if (af == Af.INET) {
            int v = v4();
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    /** {@code 10.0.0.1:80} or {@code [2001:db8::1]:80}: the address with a port, as ipvsadm, URLs and logs write it. */
    public String withPort(int port) {
        return (isV6() ? "[" + this + "]" : toString()) + ":" + port;
    }

    /** True for IPv6. */
    public boolean isV6() {
        return af == Af.INET6;
    }

    /** The IPv4 value (only meaningful for IPv4). */
    public int v4() {
        return (int) lo;
    }

    /**
     * The kernel's 32-bit "fold" of the address used by the dh/sh/mh hashes: the IPv4 value, or the
     * XOR of the four 32-bit words of an IPv6 address (host order).
     */
    public int fold() {
        return af == Af.INET ? (int) lo : fold6(hi, lo);
    }

    /** Fold of an IPv6 address given as two longs. */
    public static int fold6(long hi, long lo) {
        return (int) (hi >>> 32) ^ (int) hi ^ (int) (lo >>> 32) ^ (int) lo;
    }

    /** Numeric text form: dotted quad, or RFC 5952 compressed IPv6 (as inet_ntop prints it). */
    @Override
    public String toString() {
        if (af == Af.INET) {
            int v = v4();
            return (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
        }
        return formatV6(hi, lo);
    }

    /** IPv6 text as inet_ntop prints it (longest run of two or more zero groups compressed). */
    public static String formatV6(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        // inet_ntop writes IPv4-mapped and IPv4-compatible addresses with a dotted tail
        if (bestStart == 0 && (bestLen == 6 || (bestLen == 5 && g[5] == 0xffff))) {
            StringBuilder sb = new StringBuilder(bestLen == 5 ? "::ffff:" : "::");
            int v = (int) lo;
            sb.append(v >>> 24).append('.').append((v >>> 16) & 0xff).append('.')
                .append((v >>> 8) & 0xff).append('.').append(v & 0xff);
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Orders IPv4 before IPv6, then numerically (unsigned), as ipvsadm sorts. */
    @Override
    public int compareTo(IpAddress o) {
        if (af != o.af) {
            return af == Af.INET ? -1 : 1;
        }
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }
}
