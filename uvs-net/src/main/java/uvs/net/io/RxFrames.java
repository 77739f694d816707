package uvs.net.io;

/**
 * A reusable batch of received frames, filled by {@link PacketIo#receive}: native address, length and
 * packet type (as {@code sockaddr_ll.sll_pkttype}) of each frame. One per worker.
 */
public final class RxFrames {
    /** Frame addressed to this host's MAC. */
    public static final byte HOST = 0;
    /** Broadcast frame. */
    public static final byte BROADCAST = 1;
    /** Multicast frame. */
    public static final byte MULTICAST = 2;
    /** Frame addressed to another host (seen in promiscuous mode or flooded by a bridge). */
    public static final byte OTHERHOST = 3;
    /** Frame this host sent. */
    public static final byte OUTGOING = 4;

    /** Native address of each frame's first byte (the Ethernet header). */
    public final long[] address;
    /** Length of each frame in bytes. */
    public final int[] length;
    /** Packet type of each frame. */
    public final byte[] packetType;
    /**
     * True when a frame's transport checksum is only the pseudo-header sum: a local sender left it to
     * checksum offload (TP_STATUS_CSUMNOTREADY).
     */
    public final boolean[] checksumPartial;
    /** How many entries are valid. */
    public int count;

    /** A batch of up to {@code capacity} frames. */
    public RxFrames(int capacity) {
        address = new long[capacity];
        length = new int[capacity];
        packetType = new byte[capacity];
        checksumPartial = new boolean[capacity];
    }

    /** The most frames one call can return. */
    public int capacity() {
        return address.length;
    }
}
