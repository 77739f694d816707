package uvs.net.packet;

/** ARP for Ethernet/IPv4 (RFC 826): field offsets relative to the ARP header. */
public final class ArpHeader {
    /** Length of an Ethernet/IPv4 ARP message. */
    public static final int LENGTH = 28;
    /** Hardware type (1 = Ethernet). */
    public static final int HTYPE = 0;
    /** Protocol type (0x0800). */
    public static final int PTYPE = 2;
    /** Hardware address length (6). */
    public static final int HLEN = 4;
    /** Protocol address length (4). */
    public static final int PLEN = 5;
    /** Operation. */
    public static final int OPER = 6;
    /** Sender hardware address. */
    public static final int SHA = 8;
    /** Sender protocol address. */
    public static final int SPA = 14;
    /** Target hardware address. */
    public static final int THA = 18;
    /** Target protocol address. */
    public static final int TPA = 24;
    /** ARP request. */
    public static final int OP_REQUEST = 1;
    /** ARP reply. */
    public static final int OP_REPLY = 2;

    private ArpHeader() {
    }
}
