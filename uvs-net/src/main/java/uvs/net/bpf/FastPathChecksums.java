package uvs.net.bpf;

import uvs.core.net.Af;

/**
 * The one's-complement checksum deltas a fast-path entry carries, so that the XDP program only folds a constant
 * into each checksum (RFC 1624 equation 3, {@code HC' = ~(~HC + D)} with {@code D = sum(~m + m')} over the changed
 * 16-bit words). The sums are byte-order independent (RFC 1071 §2), so the program may add the delta and the
 * checksum as it loads them. Deltas are 16-bit values in network order.
 */
public final class FastPathChecksums {
    /** The IPv4 header word TTL|protocol after a TTL decrement: {@code ~m + (m - 0x100)} is always 0xfeff. */
    static final int TTL_DECREMENT = 0xfeff;

    private FastPathChecksums() {
    }

    /**
     * The IPv4 header checksum delta for a TTL decrement and the address change {@code oldSrc → newSrc},
     * {@code oldDst → newDst} (IPv4 addresses in the low 32 bits).
     */
    public static int ipv4(long oldSrc, long oldDst, long newSrc, long newDst) {
        long sum = TTL_DECREMENT;
        sum = words32(sum, oldSrc, newSrc);
        sum = words32(sum, oldDst, newDst);
        return fold(sum);
    }

    /**
     * The TCP/UDP checksum delta for rewriting addresses (they are in the pseudo-header) and ports; IPv4
     * addresses in the low 32 bits of {@code lo}.
     */
    public static int l4(int af, long oldSrcHi, long oldSrcLo, long oldDstHi, long oldDstLo, int oldSport,
                         int oldDport, long newSrcHi, long newSrcLo, long newDstHi, long newDstLo, int newSport,
                         int newDport) {
        long sum = 0;
        if (af == Af.INET) {
            sum = words32(sum, oldSrcLo, newSrcLo);
            sum = words32(sum, oldDstLo, newDstLo);
        } else {
            sum = words64(sum, oldSrcHi, newSrcHi);
            sum = words64(sum, oldSrcLo, newSrcLo);
            sum = words64(sum, oldDstHi, newDstHi);
            sum = words64(sum, oldDstLo, newDstLo);
        }
        sum = word(sum, oldSport, newSport);
        sum = word(sum, oldDport, newDport);
        return fold(sum);
    }

    /**
     * Applies {@code delta} to checksum {@code check} as the XDP program does (for tests and for UVS's own
     * reference): {@code ~(~check + delta)}.
     */
    public static int apply(int check, int delta) {
        return ~fold((~check & 0xffff) + (long) delta) & 0xffff;
    }

    private static long word(long sum, long oldWord, long newWord) {
        return sum + (~oldWord & 0xffff) + (newWord & 0xffff);
    }

    private static long words32(long sum, long oldValue, long newValue) {
        return word(word(sum, oldValue >>> 16, newValue >>> 16), oldValue, newValue);
    }

    private static long words64(long sum, long oldValue, long newValue) {
        return words32(words32(sum, oldValue >>> 32, newValue >>> 32), oldValue, newValue);
    }

    private static int fold(long sum) {
        long s = sum;
        while (s > 0xffff) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}
