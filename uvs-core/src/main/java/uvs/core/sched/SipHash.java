package uvs.core.sched;

/**
 * SipHash with a configurable number of compression (c) and finalisation (d) rounds, and the kernel's
 * 64-bit {@code hsiphash}: SipHash-1-3 returning the low 32 bits (used by the mh scheduler).
 * Standard SipHash is SipHash-2-4.
 */
public final class SipHash {
    private static final long C0 = 0x736f6d6570736575L;
    private static final long C1 = 0x646f72616e646f6dL;
    private static final long C2 = 0x6c7967656e657261L;
    private static final long C3 = 0x7465646279746573L;

    private SipHash() {
    }

    /**
     * SipHash-c-d of {@code len} bytes of {@code data} from {@code off}, with key words {@code k0, k1}
     * (the 16-byte key read as two little-endian 64-bit words).
     */
    public static long hash(int cRounds, int dRounds, long k0, long k1, byte[] data, int off, int len) {
        if (cRounds < 1 || dRounds < 1) {
            throw new IllegalArgumentException("SipHash rounds must be positive, got c=" + cRounds + " d=" + dRounds);
        }
        if (off < 0 || len < 0 || off + len > data.length) {
            throw new IllegalArgumentException("SipHash range " + off + "+" + len + " outside " + data.length + " bytes");
        }
        int blocks = len >>> 3;
        long last = (long) len << 56;
        for (int i = 0, p = off + (blocks << 3); p < off + len; i++, p++) {
            last |= (data[p] & 0xffL) << (8 * i);
        }
        return run(cRounds, dRounds, k0, k1, data, off, blocks, last);
    }

    /**
     * The kernel's {@code hsiphash(&v, 4, key)} on a 64-bit kernel: SipHash-1-3 over the four
     * little-endian bytes of {@code value}, truncated to 32 bits.
     */
    public static int hsiphash(long k0, long k1, int value) {
        return (int) run(1, 3, k0, k1, null, 0, 0, 4L << 56 | (value & 0xffff_ffffL));
    }

    /** Compresses {@code blocks} full 8-byte words of data, then the final word, then finalises. */
    private static long run(int c, int d, long k0, long k1, byte[] data, int off, int blocks, long last) {
        long v0 = C0 ^ k0;
        long v1 = C1 ^ k1;
        long v2 = C2 ^ k0;
        long v3 = C3 ^ k1;
        for (int b = 0; b <= blocks; b++) {
            long m = b < blocks ? readLong(data, off + (b << 3)) : last;
            v3 ^= m;
            for (int r = 0; r < c; r++) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13) ^ v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16) ^ v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21) ^ v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17) ^ v2;
                v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        v2 ^= 0xff;
        for (int r = 0; r < d; r++) {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13) ^ v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16) ^ v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21) ^ v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17) ^ v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static long readLong(byte[] b, int p) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[p + i] & 0xffL);
        }
        return v;
    }
}
