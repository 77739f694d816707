package uvs.net.sys;

/** Constants of AF_PACKET sockets ({@code linux/if_packet.h}, {@code linux/if_ether.h}). */
public final class IfPacket {
    /** Address family of packet sockets. */
    public static final int AF_PACKET = 17;
    /** Socket level of packet socket options. */
    public static final int SOL_PACKET = 263;
    /** Every protocol (host order; sockets and sockaddr_ll want it in network order). */
    public static final int ETH_P_ALL = 0x0003;

    /** Receive ring option. */
    public static final int PACKET_RX_RING = 5;
    /** Statistics option (reading resets the counters). */
    public static final int PACKET_STATISTICS = 6;
    /** Ring version option. */
    public static final int PACKET_VERSION = 10;
    /** Fanout group option. */
    public static final int PACKET_FANOUT = 18;
    /** Send straight to the driver, skipping the qdisc layer. */
    public static final int PACKET_QDISC_BYPASS = 20;
    /** Fanout program option (for {@link #PACKET_FANOUT_CBPF}). */
    public static final int PACKET_FANOUT_DATA = 22;
    /** Do not loop this host's outgoing frames back to the socket. */
    public static final int PACKET_IGNORE_OUTGOING = 23;

    /** Block-based ring version. */
    public static final int TPACKET_V3 = 2;
    /** Ring slot owned by the kernel. */
    public static final int TP_STATUS_KERNEL = 0;
    /** Ring slot owned by user space. */
    public static final int TP_STATUS_USER = 1;
    /** Frame status: the transport checksum is not computed yet (the sender offloaded it). */
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;

    /** Fanout by flow hash. */
    public static final int PACKET_FANOUT_HASH = 0;
    /** Fanout round robin. */
    public static final int PACKET_FANOUT_LB = 1;
    /** Fanout by the index a classic BPF program returns. */
    public static final int PACKET_FANOUT_CBPF = 6;
    /** Fanout flag: do not feed outgoing frames to the group. */
    public static final int PACKET_FANOUT_FLAG_IGNORE_OUTGOING = 0x4000;

    private IfPacket() {
    }

    /** {@code htons} of a 16-bit value. */
    public static int htons(int value) {
        return Short.reverseBytes((short) value) & 0xffff;
    }
}
