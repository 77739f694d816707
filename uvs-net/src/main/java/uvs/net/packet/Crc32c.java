package uvs.net.packet;

import org.agrona.DirectBuffer;

/**
 * CRC32c (Castagnoli, reflected polynomial 0x82F63B78) as SCTP (RFC 9260 appendix A) and iSCSI
 * (RFC 3720 B.4) use it; table-driven, one byte per step.
 */
public final class Crc32c {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F6_3B78 : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32c() {
    }

    /** The CRC32c of {@code len} bytes at {@code off} (initial value all ones, final value inverted). */
    public static int compute(DirectBuffer b, int off, int len) {
        int crc = 0xffff_ffff;
        for (int i = off, end = off + len; i < end; i++) {
            crc = TABLE[(crc ^ b.getByte(i)) & 0xff] ^ (crc >>> 8);
        }
        return ~crc;
    }
}
