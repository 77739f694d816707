package uvs.net.forward;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.MutableDirectBuffer;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.net.packet.Checksum;
import uvs.net.packet.Ethernet;
import uvs.net.packet.Ipv6;
import uvs.net.packet.L4;

/**
 * Builds ICMPv6 neighbour solicitations and advertisements (RFC 4861 §4.3/4.4) as whole Ethernet frames at
 * index 0: hop limit 255, one link-layer address option, ICMPv6 checksum with the pseudo-header.
 */
public final class NeighborDiscovery {
    /** Length of the frames written: Ethernet + IPv6 + 24-byte message + 8-byte link-layer option. */
    public static final int FRAME_LENGTH = Ethernet.HEADER_LENGTH + Ipv6.HEADER_LENGTH + L4.ND_MESSAGE_LENGTH + 8;
    /** Hop limit of every ND packet (receivers drop anything else). */
    public static final int HOP_LIMIT = 255;

    private NeighborDiscovery() {
    }

    /**
     * Solicitation for {@code target} from {@code src} to the target's solicited-node multicast address
     * (Ethernet 33:33:ff:xx:xx:xx), with our source link-layer address; returns the frame length.
     */
    public static int solicit(MutableDirectBuffer b, long ourMac, long srcHi, long srcLo, long targetHi,
                              long targetLo) {
        long groupLo = Ipv6.solicitedNodeLo(targetLo);
        return write(b, Ethernet.ipv6MulticastMac(groupLo), ourMac, srcHi, srcLo, Ipv6.SOLICITED_NODE_HI, groupLo,
            L4.NDISC_NEIGHBOUR_SOLICITATION, 0, targetHi, targetLo, L4.ND_OPT_SOURCE_LL_ADDR);
    }

    /**
     * Advertisement that {@code target} (also the IPv6 source) is at {@code ourMac}, to {@code dst} at
     * {@code dstMac}, with the solicited and override flags as given and our target link-layer address.
     */
    public static int advertise(MutableDirectBuffer b, long ourMac, long targetHi, long targetLo, long dstMac,
                                long dstHi, long dstLo, boolean solicited, boolean override) {
        int flags = (solicited ? L4.NA_SOLICITED : 0) | (override ? L4.NA_OVERRIDE : 0);
        return write(b, dstMac, ourMac, targetHi, targetLo, dstHi, dstLo, L4.NDISC_NEIGHBOUR_ADVERTISEMENT, flags,
            targetHi, targetLo, L4.ND_OPT_TARGET_LL_ADDR);
    }

    /** Unsolicited advertisement with override to all nodes (ff02::1, 33:33:00:00:00:01), e.g. after a takeover. */
    public static int unsolicitedAdvert(MutableDirectBuffer b, long ourMac, long targetHi, long targetLo) {
        return advertise(b, ourMac, targetHi, targetLo, Ethernet.ipv6MulticastMac(Ipv6.ALL_NODES_LO), Ipv6.ALL_NODES_HI,
            Ipv6.ALL_NODES_LO, false, true);
    }

    private static int write(MutableDirectBuffer b, long ethDst, long ourMac, long srcHi, long srcLo, long dstHi,
                             long dstLo, int type, int flags, long targetHi, long targetLo, int option) {
        int ip = Ethernet.writeHeader(b, ethDst, ourMac, Ethernet.ETH_P_IPV6);
        int icmpLength = L4.ND_MESSAGE_LENGTH + 8;
        Ipv6.writeHeader(b, ip, 0, icmpLength, IpProto.ICMPV6, HOP_LIMIT, srcHi, srcLo, dstHi, dstLo);
        int m = ip + Ipv6.HEADER_LENGTH;
        b.putByte(m + L4.ICMP_TYPE, (byte) type);
        b.putByte(m + L4.ICMP_CODE, (byte) 0);
        b.putShort(m + L4.ICMP_CHECKSUM, (short) 0, BIG_ENDIAN);
        b.putInt(m + 4, flags << 24, BIG_ENDIAN);
        b.putLong(m + L4.ND_TARGET, targetHi, BIG_ENDIAN);
        b.putLong(m + L4.ND_TARGET + 8, targetLo, BIG_ENDIAN);
        int o = m + L4.ND_MESSAGE_LENGTH;
        b.putByte(o, (byte) option);
        b.putByte(o + 1, (byte) 1);
        Ethernet.writeMac(b, o + 2, ourMac);
        b.putShort(m + L4.ICMP_CHECKSUM, (short) Checksum.l4(b, Af.INET6, ip, IpProto.ICMPV6, m, icmpLength),
            BIG_ENDIAN);
        return FRAME_LENGTH;
    }
}
