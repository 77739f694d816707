package uvs.net.packet;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.DirectBuffer;
import uvs.core.net.Af;

/**
 * The Internet checksum: RFC 1071 sums over buffer ranges, IPv4/IPv6 pseudo-headers, and RFC 1624
 * incremental updates (equation 3, {@code HC' = ~(~HC + ~m + m')}). Sums are carried unfolded in a
 * {@code long} until {@link #fold}; checksum values are 16-bit ints as on the wire.
 */
public final class Checksum {
    private Checksum() {
    }

    /**
     * Adds {@code len} bytes at {@code off} to the running sum {@code acc} as big-endian 16-bit words (an
     * odd last byte is padded with zero on the right). Only the last range of a sum may have odd length.
     */
    public static long add(DirectBuffer b, int off, int len, long acc) {
        long sum = acc;
        int i = off;
        int end = off + len;
        // 32-bit words sum to the same ones' complement value as their 16-bit halves (2^16 = 1 mod 0xffff)
        while (end - i >= 4) {
            sum += b.getInt(i, BIG_ENDIAN) & 0xffff_ffffL;
            i += 4;
        }
        if (end - i >= 2) {
            sum += b.getShort(i, BIG_ENDIAN) & 0xffff;
            i += 2;
        }
        if (i < end) {
            sum += (b.getByte(i) & 0xff) << 8;
        }
        return sum;
    }

    /** Folds an unfolded sum to a 16-bit ones' complement sum (0 only when the sum is 0). */
    public static int fold(long sum) {
        long s = (sum & 0xffff_ffffL) + (sum >>> 32);
        s = (s & 0xffff_ffffL) + (s >>> 32);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    /** The checksum for a sum: its folded ones' complement. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** The RFC 1071 checksum of a range (for an IPv4 header or ICMPv4 message; the checksum field must be 0). */
    public static int compute(DirectBuffer b, int off, int len) {
        return finish(add(b, off, len, 0));
    }

    /** Sum of the IPv4 pseudo-header of the IPv4 header at {@code ipOff}. */
    public static long pseudoHeader4(DirectBuffer b, int ipOff, int protocol, int l4Length) {
        return (b.getInt(ipOff + Ipv4.SRC, BIG_ENDIAN) & 0xffff_ffffL)
            + (b.getInt(ipOff + Ipv4.DST, BIG_ENDIAN) & 0xffff_ffffL) + protocol + l4Length;
    }

    /** Sum of the IPv6 pseudo-header (RFC 8200 §8.1) of the IPv6 header at {@code ipOff}. */
    public static long pseudoHeader6(DirectBuffer b, int ipOff, int protocol, int l4Length) {
        return add(b, ipOff + Ipv6.SRC, 32, 0) + protocol + (l4Length & 0xffff_ffffL);
    }

    /**
     * Full TCP/UDP/ICMPv6 checksum (with pseudo-header) of the L4 message at {@code l4Off}, whose checksum
     * field must be 0; {@code ipOff} locates the IP header of family {@code af}.
     */
    public static int l4(DirectBuffer b, int af, int ipOff, int protocol, int l4Off, int l4Length) {
        long pseudo = af == Af.INET
            ? pseudoHeader4(b, ipOff, protocol, l4Length)
            : pseudoHeader6(b, ipOff, protocol, l4Length);
        return finish(add(b, l4Off, l4Length, pseudo));
    }

    /** RFC 1624 update of {@code check} after a 16-bit field changed from {@code oldValue} to {@code newValue}. */
    public static int update16(int check, int oldValue, int newValue) {
        long s = (~check & 0xffff) + (~oldValue & 0xffff) + (newValue & 0xffff);
        return finish(s);
    }

    /** RFC 1624 update of {@code check} after a 32-bit field changed. */
    public static int update32(int check, int oldValue, int newValue) {
        long s = (~check & 0xffff) + (~oldValue >>> 16 & 0xffff) + (~oldValue & 0xffff)
            + (newValue >>> 16 & 0xffff) + (newValue & 0xffff);
        return finish(s);
    }

    /** RFC 1624 update of {@code check} after a 128-bit (IPv6 address) field changed. */
    public static int update128(int check, long oldHi, long oldLo, long newHi, long newLo) {
        long s = (~check & 0xffff) + words(~oldHi) + words(~oldLo) + words(newHi) + words(newLo);
        return finish(s);
    }

    private static long words(long v) {
        return (v >>> 48) + (v >>> 32 & 0xffff) + (v >>> 16 & 0xffff) + (v & 0xffff);
    }
}
