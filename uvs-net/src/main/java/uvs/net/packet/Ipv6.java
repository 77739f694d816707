package uvs.net.packet;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** IPv6 header layout, extension-header numbers and accessors (offsets relative to the header start). */
public final class Ipv6 {
    /** Fixed header length. */
    public static final int HEADER_LENGTH = 40;
    /** Payload length. */
    public static final int PAYLOAD_LENGTH = 4;
    /** Next header. */
    public static final int NEXT_HEADER = 6;
    /** Hop limit. */
    public static final int HOP_LIMIT = 7;
    /** Source address. */
    public static final int SRC = 8;
    /** Destination address. */
    public static final int DST = 24;
    /** Hop-by-hop options extension header. */
    public static final int NEXTHDR_HOP = 0;
    /** Routing extension header. */
    public static final int NEXTHDR_ROUTING = 43;
    /** Fragment extension header. */
    public static final int NEXTHDR_FRAGMENT = 44;
    /** Authentication header. */
    public static final int NEXTHDR_AUTH = 51;
    /** Destination options extension header. */
    public static final int NEXTHDR_DEST = 60;
    /** Length of the fragment extension header. */
    public static final int FRAGMENT_HEADER_LENGTH = 8;

    /** High half of every solicited-node multicast address (ff02::). */
    public static final long SOLICITED_NODE_HI = 0xff02_0000_0000_0000L;
    /** High half of ff02::1 (all nodes). */
    public static final long ALL_NODES_HI = 0xff02_0000_0000_0000L;
    /** Low half of ff02::1 (all nodes). */
    public static final long ALL_NODES_LO = 1L;

    private Ipv6() {
    }

    /** Traffic class (DSCP + ECN). */
    public static int trafficClass(DirectBuffer b, int off) {
        return (b.getShort(off, BIG_ENDIAN) >>> 4) & 0xff;
    }

    /** Payload length field. */
    public static int payloadLength(DirectBuffer b, int off) {
        return b.getShort(off + PAYLOAD_LENGTH, BIG_ENDIAN) & 0xffff;
    }

    /** Writes a fixed header (flow label 0) at {@code off}; returns its length. */
    public static int writeHeader(MutableDirectBuffer b, int off, int trafficClass, int payloadLength,
                                  int nextHeader, int hopLimit, long srcHi, long srcLo, long dstHi, long dstLo) {
        b.putInt(off, 6 << 28 | (trafficClass & 0xff) << 20, BIG_ENDIAN);
        b.putShort(off + PAYLOAD_LENGTH, (short) payloadLength, BIG_ENDIAN);
        b.putByte(off + NEXT_HEADER, (byte) nextHeader);
        b.putByte(off + HOP_LIMIT, (byte) hopLimit);
        b.putLong(off + SRC, srcHi, BIG_ENDIAN);
        b.putLong(off + SRC + 8, srcLo, BIG_ENDIAN);
        b.putLong(off + DST, dstHi, BIG_ENDIAN);
        b.putLong(off + DST + 8, dstLo, BIG_ENDIAN);
        return HEADER_LENGTH;
    }

    /** True for ff00::/8. */
    public static boolean isMulticast(long hi) {
        return (hi >>> 56) == 0xff;
    }

    /** Low half of the solicited-node multicast address ff02::1:ffXX:XXXX of an address (RFC 4291 §2.7.1). */
    public static long solicitedNodeLo(long lo) {
        return 0x0000_0001_ff00_0000L | (lo & 0x00ff_ffffL);
    }

}
