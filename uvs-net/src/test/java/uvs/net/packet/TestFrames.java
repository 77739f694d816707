package uvs.net.packet;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * Builds test frames byte by byte, with checksums from a deliberately naive 16-bit-word sum that shares no
 * code with {@link Checksum} (so the expected values do not come from the code under test).
 */
public final class TestFrames {
    /** Client MAC used by the tests. */
    public static final long MAC_A = 0x02_00_00_00_00_0aL;
    /** Director MAC used by the tests. */
    public static final long MAC_B = 0x02_00_00_00_00_0bL;

    private TestFrames() {
    }

    /** Bytes from hex text (spaces ignored). */
    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", "").replace("\n", ""));
    }

    /** Lower-case hex of a byte range. */
    public static String toHex(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }

    /** Concatenation. */
    public static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Naive ones' complement sum of 16-bit words (odd byte padded), folded, not inverted. */
    public static int naiveSum(byte[]... parts) {
        byte[] all = cat(parts);
        long s = 0;
        for (int i = 0; i < all.length; i += 2) {
            int hi = all[i] & 0xff;
            int lo = i + 1 < all.length ? all[i + 1] & 0xff : 0;
            s += hi << 8 | lo;
            while (s > 0xffff) {
                s = (s & 0xffff) + (s >>> 16);
            }
        }
        return (int) s;
    }

    /** Naive Internet checksum. */
    public static int naiveChecksum(byte[]... parts) {
        return ~naiveSum(parts) & 0xffff;
    }

    /** Big-endian 16-bit store. */
    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    /** An Ethernet frame (MAC_B ← MAC_A) carrying {@code payload}. */
    public static byte[] ethernet(int type, byte[] payload) {
        byte[] h = new byte[14];
        for (int i = 0; i < 6; i++) {
            h[i] = (byte) (MAC_B >>> (40 - 8 * i));
            h[6 + i] = (byte) (MAC_A >>> (40 - 8 * i));
        }
        put16(h, 12, type);
        return cat(h, payload);
    }

    /** A copy of {@code frame} with Ethernet destination {@code dst} and source {@code src}. */
    public static byte[] withMacs(byte[] frame, long dst, long src) {
        byte[] f = frame.clone();
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (dst >>> (40 - 8 * i));
            f[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        return f;
    }

    /** An Ethernet frame of an IPv4 TCP segment (no IP options) with correct checksums. */
    public static byte[] tcp4(int src, int sport, int dst, int dport, int ttl, int flags, byte[] payload) {
        return ethernet(0x0800, ipv4(6, src, dst, ttl, 0, 0, new byte[0],
            tcp(pseudo4(src, dst, 6, 0), sport, dport, flags, payload)));
    }

    /** IPv4 header of 20 + options bytes with a correct checksum, followed by {@code l4}. */
    public static byte[] ipv4(int proto, int src, int dst, int ttl, int tos, int frag, byte[] options, byte[] l4) {
        byte[] h = new byte[20 + options.length];
        h[0] = (byte) (0x40 | h.length / 4);
        h[1] = (byte) tos;
        put16(h, 2, h.length + l4.length);
        put16(h, 4, 0x1234);
        put16(h, 6, frag);
        h[8] = (byte) ttl;
        h[9] = (byte) proto;
        put32(h, 12, src);
        put32(h, 16, dst);
        System.arraycopy(options, 0, h, 20, options.length);
        put16(h, 10, naiveChecksum(h));
        return cat(h, l4);
    }

    /** IPv6 header (flow label 0) followed by {@code rest} (extension headers and the upper layer). */
    public static byte[] ipv6(int nextHeader, byte[] src, byte[] dst, int hops, int tc, byte[] rest) {
        byte[] h = new byte[40];
        h[0] = (byte) (0x60 | tc >>> 4);
        h[1] = (byte) (tc << 4);
        put16(h, 4, rest.length);
        h[6] = (byte) nextHeader;
        h[7] = (byte) hops;
        System.arraycopy(src, 0, h, 8, 16);
        System.arraycopy(dst, 0, h, 24, 16);
        return cat(h, rest);
    }

    /** Big-endian 32-bit store. */
    public static void put32(byte[] b, int off, int v) {
        put16(b, off, v >>> 16);
        put16(b, off + 2, v);
    }

    /** IPv4 pseudo-header bytes. */
    public static byte[] pseudo4(int src, int dst, int proto, int len) {
        byte[] p = new byte[12];
        put32(p, 0, src);
        put32(p, 4, dst);
        p[9] = (byte) proto;
        put16(p, 10, len);
        return p;
    }

    /** IPv6 pseudo-header bytes. */
    public static byte[] pseudo6(byte[] src, byte[] dst, int proto, int len) {
        byte[] p = new byte[40];
        System.arraycopy(src, 0, p, 0, 16);
        System.arraycopy(dst, 0, p, 16, 16);
        put32(p, 32, len);
        p[39] = (byte) proto;
        return p;
    }

    /** TCP header (no options) + payload with its checksum over {@code pseudo}. */
    public static byte[] tcp(byte[] pseudoWithoutLength, int sport, int dport, int flags, byte[] payload) {
        byte[] h = new byte[20];
        put16(h, 0, sport);
        put16(h, 2, dport);
        put32(h, 4, 0x01020304);
        put32(h, 8, 0x0a0b0c0d);
        h[12] = 0x50;
        h[13] = (byte) flags;
        put16(h, 14, 0xffff);
        byte[] seg = cat(h, payload);
        put16(seg, 16, naiveChecksum(withLength(pseudoWithoutLength, seg.length), seg));
        return seg;
    }

    /** UDP header + payload; checksum computed unless {@code zeroChecksum}. */
    public static byte[] udp(byte[] pseudoWithoutLength, int sport, int dport, byte[] payload, boolean zeroChecksum) {
        byte[] h = new byte[8];
        put16(h, 0, sport);
        put16(h, 2, dport);
        put16(h, 4, 8 + payload.length);
        byte[] seg = cat(h, payload);
        if (!zeroChecksum) {
            int c = naiveChecksum(withLength(pseudoWithoutLength, seg.length), seg);
            put16(seg, 6, c == 0 ? 0xffff : c);
        }
        return seg;
    }

    /** Fills the length into a pseudo-header built with length 0 (IPv4: 12 bytes, IPv6: 40 bytes). */
    static byte[] withLength(byte[] pseudo, int len) {
        byte[] p = pseudo.clone();
        if (p.length == 12) {
            put16(p, 10, len);
        } else {
            put32(p, 32, len);
            p[39] = pseudo[39];
        }
        return p;
    }

    /** 16 bytes of an IPv6 address from its halves. */
    public static byte[] v6(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }
}
