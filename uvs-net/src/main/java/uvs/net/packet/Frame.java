package uvs.net.packet;

/**
 * What {@link FrameParser} found in one Ethernet frame: a reusable struct with public fields, one per
 * worker. Offsets are from the frame start; fields that do not apply to {@link #kind} keep stale values.
 */
public final class Frame {
    /** Not IP, ARP or anything the parser knows (e.g. LLDP, or ARP for another hardware type). */
    public static final int OTHER = 0;
    /** An IPv4/IPv6 packet (first fragment or unfragmented); ICMP echo and the like included. */
    public static final int IP = 1;
    /** An ICMP/ICMPv6 error quoting a packet: the {@code inner*} fields describe the quote. */
    public static final int ICMP_ERROR = 2;
    /** Ethernet/IPv4 ARP. */
    public static final int ARP = 3;
    /** ICMPv6 neighbour solicitation. */
    public static final int NEIGHBOR_SOLICIT = 4;
    /** ICMPv6 neighbour advertisement. */
    public static final int NEIGHBOR_ADVERT = 5;
    /** A non-first IP fragment: no transport header; {@link #l4Offset} is the fragment's payload. */
    public static final int FRAGMENT = 6;
    /** Truncated or inconsistent headers: drop. */
    public static final int MALFORMED = 7;

    /** One of the kind constants. */
    public int kind;
    /** EtherType after the optional 802.1Q tag. */
    public int ethertype;
    /** 802.1Q TCI (priority, DEI, VLAN id), or -1 for an untagged frame. */
    public int vlanTci;
    /** Offset of the L3 (IP or ARP) header. */
    public int l3Offset;
    /** Offset of the transport header (after IPv4 options / IPv6 extension headers). */
    public int l4Offset;
    /** Address family of the outer IP packet. */
    public int af;
    /** Upper-layer protocol (after IPv6 extension headers). */
    public int protocol;
    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl;
    /** IP packet length (IPv4 total length, or 40 + IPv6 payload length); frame padding excluded. */
    public int ipLength;
    /** IPv4 DF bit. */
    public boolean df;
    /** More-fragments bit (IPv4 MF, or M in an IPv6 fragment header). */
    public boolean moreFragments;
    /** Source address, high half (IPv6). */
    public long srcHi;
    /** Source address, low half (IPv4 in the low 32 bits). */
    public long srcLo;
    /** Destination address, high half. */
    public long dstHi;
    /** Destination address, low half. */
    public long dstLo;

    /** ICMP/ICMPv6 type (ICMP packets). */
    public int icmpType;
    /** ICMP/ICMPv6 code. */
    public int icmpCode;
    /** Offset of the quoted IP header (ICMP_ERROR). */
    public int innerL3Offset;
    /** Offset of the quoted transport header (ICMP_ERROR). */
    public int innerL4Offset;
    /** Family of the quoted packet. */
    public int innerAf;
    /** Protocol of the quoted packet. */
    public int innerProtocol;

    /** ARP operation. */
    public int arpOp;
    /** ARP sender MAC. */
    public long arpSenderMac;
    /** ARP sender IPv4 address. */
    public int arpSenderIp;
    /** ARP target IPv4 address. */
    public int arpTargetIp;

    /** NS/NA target address, high half. */
    public long ndTargetHi;
    /** NS/NA target address, low half. */
    public long ndTargetLo;
    /** Source (NS) or target (NA) link-layer address option, or -1 when absent. */
    public long ndLinkAddr;
    /** NA flags byte (router 0x80, solicited 0x40, override 0x20). */
    public int ndFlags;
}
