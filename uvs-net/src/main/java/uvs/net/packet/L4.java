package uvs.net.packet;

/**
 * Transport-header layouts (TCP, UDP, SCTP, ICMP, ICMPv6): field offsets relative to the L4 header, the
 * minimum lengths the parser requires, and the ICMP types it knows.
 */
public final class L4 {
    /** Source port (TCP, UDP, SCTP). */
    public static final int SRC_PORT = 0;
    /** Destination port (TCP, UDP, SCTP). */
    public static final int DST_PORT = 2;
    /** TCP header without options. */
    public static final int TCP_MIN_LENGTH = 20;
    /** TCP flags byte. */
    public static final int TCP_FLAGS = 13;
    /** TCP checksum. */
    public static final int TCP_CHECKSUM = 16;
    /** UDP header. */
    public static final int UDP_LENGTH = 8;
    /** UDP length field. */
    public static final int UDP_LENGTH_FIELD = 4;
    /** UDP checksum. */
    public static final int UDP_CHECKSUM = 6;
    /** SCTP common header. */
    public static final int SCTP_COMMON_LENGTH = 12;
    /** SCTP CRC32c (stored little-endian, as Linux does). */
    public static final int SCTP_CHECKSUM = 8;
    /** SCTP chunk header (type, flags, length). */
    public static final int SCTP_CHUNK_HEADER_LENGTH = 4;
    /** ICMP/ICMPv6 header (type, code, checksum, 4 bytes of rest-of-header). */
    public static final int ICMP_HEADER_LENGTH = 8;
    /** ICMP type. */
    public static final int ICMP_TYPE = 0;
    /** ICMP code. */
    public static final int ICMP_CODE = 1;
    /** ICMP checksum. */
    public static final int ICMP_CHECKSUM = 2;
    /** ICMPv4 destination unreachable. */
    public static final int ICMP_DEST_UNREACH = 3;
    /** ICMPv4 source quench. */
    public static final int ICMP_SOURCE_QUENCH = 4;
    /** ICMPv4 redirect. */
    public static final int ICMP_REDIRECT = 5;
    /** ICMPv4 time exceeded. */
    public static final int ICMP_TIME_EXCEEDED = 11;
    /** ICMPv4 parameter problem. */
    public static final int ICMP_PARAMETERPROB = 12;
    /** ICMPv4 code: port unreachable. */
    public static final int ICMP_PORT_UNREACH = 3;
    /** ICMP destination unreachable code: host unreachable. */
    public static final int ICMP_HOST_UNREACH = 1;
    /** ICMPv4 code: fragmentation needed and DF set. */
    public static final int ICMP_FRAG_NEEDED = 4;
    /** ICMPv6 destination unreachable. */
    public static final int ICMPV6_DEST_UNREACH = 1;
    /** ICMPv6 packet too big. */
    public static final int ICMPV6_PKT_TOOBIG = 2;
    /** ICMPv6 time exceeded. */
    public static final int ICMPV6_TIME_EXCEED = 3;
    /** ICMPv6 parameter problem. */
    public static final int ICMPV6_PARAMPROB = 4;
    /** ICMPv6 code: port unreachable. */
    public static final int ICMPV6_PORT_UNREACH = 4;
    /** ICMPv6 destination unreachable code: address unreachable. */
    public static final int ICMPV6_ADDR_UNREACH = 3;
    /** ICMPv6 neighbour solicitation. */
    public static final int NDISC_NEIGHBOUR_SOLICITATION = 135;
    /** ICMPv6 neighbour advertisement. */
    public static final int NDISC_NEIGHBOUR_ADVERTISEMENT = 136;
    /** Length of NS/NA up to the options (header + target). */
    public static final int ND_MESSAGE_LENGTH = 24;
    /** Offset of the NS/NA target address. */
    public static final int ND_TARGET = 8;
    /** ND option: source link-layer address. */
    public static final int ND_OPT_SOURCE_LL_ADDR = 1;
    /** ND option: target link-layer address. */
    public static final int ND_OPT_TARGET_LL_ADDR = 2;
    /** NA flag: router. */
    public static final int NA_ROUTER = 0x80;
    /** NA flag: solicited. */
    public static final int NA_SOLICITED = 0x40;
    /** NA flag: override. */
    public static final int NA_OVERRIDE = 0x20;

    private L4() {
    }

    /** True for the ICMPv4 types that quote a packet and are errors (dest unreach, quench, redirect, time exceeded, param problem). */
    public static boolean isIcmpError(int type) {
        return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH || type == ICMP_REDIRECT
            || type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETERPROB;
    }

    /** True for ICMPv6 error messages (types below 128). */
    public static boolean isIcmpv6Error(int type) {
        return type < 128;
    }
}
