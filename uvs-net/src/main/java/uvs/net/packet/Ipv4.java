package uvs.net.packet;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** IPv4 header layout and accessors (offsets relative to the header start). */
public final class Ipv4 {
    /** Minimum (option-less) header length. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Version and IHL byte. */
    public static final int VERSION_IHL = 0;
    /** TOS (DSCP + ECN). */
    public static final int TOS = 1;
    /** Total length. */
    public static final int TOTAL_LENGTH = 2;
    /** Identification. */
    public static final int ID = 4;
    /** Flags and fragment offset. */
    public static final int FRAG = 6;
    /** TTL. */
    public static final int TTL = 8;
    /** Protocol. */
    public static final int PROTOCOL = 9;
    /** Header checksum. */
    public static final int CHECKSUM = 10;
    /** Source address. */
    public static final int SRC = 12;
    /** Destination address. */
    public static final int DST = 16;
    /** Don't Fragment flag in the FRAG word. */
    public static final int DF = 0x4000;
    /** More Fragments flag. */
    public static final int MF = 0x2000;
    /** Fragment offset mask (8-byte units). */
    public static final int OFFSET_MASK = 0x1fff;

    private Ipv4() {
    }

    /** Header length in bytes (IHL × 4). */
    public static int headerLength(DirectBuffer b, int off) {
        return (b.getByte(off) & 0x0f) << 2;
    }

    /** Total length field. */
    public static int totalLength(DirectBuffer b, int off) {
        return b.getShort(off + TOTAL_LENGTH, BIG_ENDIAN) & 0xffff;
    }

    /** Source address as an int. */
    public static int src(DirectBuffer b, int off) {
        return b.getInt(off + SRC, BIG_ENDIAN);
    }

    /** Destination address as an int. */
    public static int dst(DirectBuffer b, int off) {
        return b.getInt(off + DST, BIG_ENDIAN);
    }

    /** The header checksum field. */
    public static int checksum(DirectBuffer b, int off) {
        return b.getShort(off + CHECKSUM, BIG_ENDIAN) & 0xffff;
    }

    /** Recomputes and stores the header checksum of the header at {@code off}. */
    public static void writeChecksum(MutableDirectBuffer b, int off) {
        b.putShort(off + CHECKSUM, (short) 0, BIG_ENDIAN);
        b.putShort(off + CHECKSUM, (short) Checksum.compute(b, off, headerLength(b, off)), BIG_ENDIAN);
    }

    /**
     * Writes an option-less header (checksum included) at {@code off}: {@code frag} is the whole flags +
     * offset word. Returns the header length.
     */
    public static int writeHeader(MutableDirectBuffer b, int off, int tos, int totalLength, int id, int frag,
                                  int ttl, int protocol, int src, int dst) {
        b.putByte(off + VERSION_IHL, (byte) 0x45);
        b.putByte(off + TOS, (byte) tos);
        b.putShort(off + TOTAL_LENGTH, (short) totalLength, BIG_ENDIAN);
        b.putShort(off + ID, (short) id, BIG_ENDIAN);
        b.putShort(off + FRAG, (short) frag, BIG_ENDIAN);
        b.putByte(off + TTL, (byte) ttl);
        b.putByte(off + PROTOCOL, (byte) protocol);
        b.putInt(off + SRC, src, BIG_ENDIAN);
        b.putInt(off + DST, dst, BIG_ENDIAN);
        writeChecksum(b, off);
        return MIN_HEADER_LENGTH;
    }

    /** True for 224.0.0.0/4 multicast, the limited broadcast 255.255.255.255 and reserved 240/4. */
    public static boolean isMulticastOrBroadcast(int addr) {
        return (addr & 0xe000_0000) == 0xe000_0000;
    }
}
