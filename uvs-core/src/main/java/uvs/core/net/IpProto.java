package uvs.core.net;

/** IP protocol numbers used by the engine, and their names as ipvsadm and /proc print them. */
public final class IpProto {
    /** IPPROTO_IP: fwmark persistence templates. */
    public static final int IP = 0;
    /** ICMP. */
    public static final int ICMP = 1;
    /** TCP. */
    public static final int TCP = 6;
    /** UDP. */
    public static final int UDP = 17;
    /** ICMPv6. */
    public static final int ICMPV6 = 58;
    /** SCTP. */
    public static final int SCTP = 132;

    private IpProto() {
    }

    /** Name as in /proc/net/ip_vs_conn and {@code ipvsadm -Lc}. */
    public static String name(int proto) {
        return switch (proto) {
            case TCP -> "TCP";
            case UDP -> "UDP";
            case SCTP -> "SCTP";
            case IP -> "IP";
            case ICMP -> "ICMP";
            case ICMPV6 -> "ICMPv6";
            default -> "IP_" + proto;
        };
    }
}
