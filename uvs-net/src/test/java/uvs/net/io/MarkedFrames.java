package uvs.net.io;

import java.nio.ByteBuffer;

/** Hand-built test frames carrying a marker "UVST" and a 32-bit id in their payload. */
final class MarkedFrames {
    static final int ETH_P_TEST = 0x88B5; // IEEE local experimental EtherType: the kernel ignores it
    static final long SRC_MAC = 0x0200_0000_0001L;
    private static final int MARKER = 0x55565354; // "UVST"

    private MarkedFrames() {
    }

    /** Ethernet frame of {@code size} bytes (at least 22) with EtherType {@link #ETH_P_TEST}. */
    static byte[] raw(long dstMac, int id, int size) {
        ByteBuffer b = eth(size, dstMac, ETH_P_TEST);
        b.putInt(MARKER).putInt(id);
        return b.array();
    }

    /** Ethernet + IPv4 + UDP frame (checksums 0: nothing on the path checks them). */
    static byte[] ipv4(long dstMac, int src, int dst, int id) {
        ByteBuffer b = eth(14 + 20 + 8 + 8, dstMac, 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 36).putShort((short) 0).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(src).putInt(dst);
        udp(b, id);
        return b.array();
    }

    /** Ethernet + IPv6 + UDP frame. */
    static byte[] ipv6(long dstMac, long srcHi, long srcLo, long dstHi, long dstLo, int id) {
        ByteBuffer b = eth(14 + 40 + 8 + 8, dstMac, 0x86DD);
        b.putInt(0x6000_0000).putShort((short) 16).put((byte) 17).put((byte) 64)
                .putLong(srcHi).putLong(srcLo).putLong(dstHi).putLong(dstLo);
        udp(b, id);
        return b.array();
    }

    private static void udp(ByteBuffer b, int id) {
        b.putShort((short) 1000).putShort((short) 80).putShort((short) 16).putShort((short) 0);
        b.putInt(MARKER).putInt(id);
    }

    private static ByteBuffer eth(int size, long dstMac, int etherType) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort((short) (dstMac >>> 32)).putInt((int) dstMac);
        b.putShort((short) (SRC_MAC >>> 32)).putInt((int) SRC_MAC);
        b.putShort((short) etherType);
        return b;
    }

    /** The id of a frame made here, or -1 for any other frame. */
    static int idOf(byte[] frame) {
        if (frame.length < 22) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        int type = b.getShort(12) & 0xffff;
        int at = switch (type) {
            case ETH_P_TEST -> 14;
            case 0x0800 -> 42;
            case 0x86DD -> 62;
            default -> -1;
        };
        return at < 0 || frame.length < at + 8 || b.getInt(at) != MARKER ? -1 : b.getInt(at + 4);
    }
}
