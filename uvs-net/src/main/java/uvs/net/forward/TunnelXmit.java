package uvs.net.forward;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.RealServer;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;
import uvs.net.packet.Checksum;
import uvs.net.packet.Ethernet;
import uvs.net.packet.Frame;
import uvs.net.packet.Ipv4;
import uvs.net.packet.Ipv6;
import uvs.net.packet.L4;

/**
 * IP tunnelling (ip_vs_tunnel_xmit / _v6): wraps the received IP packet in an outer IPv4 or IPv6 header,
 * optionally with a GUE (UDP) or GRE header, as the TUN rows of ipvs-reference §8 specify. The outer TTL /
 * hop limit is the inner one after the decrement; TOS / traffic class is the inner DS field with ECN
 * encapsulation (CE becomes ECT(0)); DF copies the inner IPv4 DF when pmtu_disc is on; the IPv4 ID comes from
 * a per-instance counter. One instance per worker (the counter is not shared).
 *
 * <p>{@code --tun-remcsum} only differs from {@code --tun-csum} for packets whose checksum is left to the
 * NIC (CHECKSUM_PARTIAL); frames read from a packet socket are complete, so remcsum sends a UDP checksum
 * and no GUE private option, as the kernel does for such packets.
 */
public final class TunnelXmit {
    /** IPPROTO_IPIP: an IPv4 packet inside. */
    public static final int IPPROTO_IPIP = 4;
    /** IPPROTO_IPV6: an IPv6 packet inside. */
    public static final int IPPROTO_IPV6 = 41;
    /** IPPROTO_GRE. */
    public static final int IPPROTO_GRE = 47;
    /** UDP + GUE header length (no GUE options). */
    public static final int GUE_OVERHEAD = L4.UDP_LENGTH + 4;
    /** Lowest GUE source port: net.ipv4.ip_local_port_range default start. */
    public static final int LOCAL_PORT_MIN = 32768;
    /** End (exclusive, as udp_flow_src_port uses it) of the GUE source port range. */
    public static final int LOCAL_PORT_MAX = 60999;
    private static final int GRE_CSUM = 0x8000;

    private final int flowHashSeed;
    private int nextIpId;

    /**
     * A transmitter whose GUE source ports hash the inner flow with {@code flowHashSeed} and whose outer IPv4
     * IDs count up from {@code firstIpId}.
     */
    public TunnelXmit(int flowHashSeed, int firstIpId) {
        this.flowHashSeed = flowHashSeed;
        this.nextIpId = firstIpId;
    }

    /**
     * Encapsulates for real server {@code dest} (its address, tunnel type, port and checksum mode); see
     * {@link #encapsulate(MutableDirectBuffer, Frame, TunnelType, int, TunnelChecksum, int, long, long, long,
     * long, boolean, MutableDirectBuffer, int)}; the outer source must be of the real server's family.
     */
    public int encapsulate(MutableDirectBuffer src, Frame f, RealServer dest, long srcHi, long srcLo,
                           boolean pmtuDisc, MutableDirectBuffer out, int outOffset) {
        IpAddress a = dest.address();
        return encapsulate(src, f, dest.tunnelType(), dest.tunnelPort(), dest.tunnelChecksum(), a.af(),
            srcHi, srcLo, a.hi(), a.lo(), pmtuDisc, out, outOffset);
    }

    /**
     * Decrements the TTL of the IP packet {@code f} describes in {@code src} (in place), then writes the
     * outer header ({@code af}: family of both outer addresses; source {@code srcHi/srcLo} = the address of
     * the route to the real server, destination {@code dstHi/dstLo}), the tunnel header, and a copy of the
     * inner packet at {@code outOffset} of {@code out}. Returns the length of the new IP packet, or
     * {@link XmitResult#TTL_EXCEEDED}, {@link XmitResult#NO_ROOM} (out too small, or over 65535 bytes),
     * {@link XmitResult#UNSUPPORTED} (not an IP packet).
     */
    public int encapsulate(MutableDirectBuffer src, Frame f, TunnelType type, int tunnelPort, TunnelChecksum csum,
                           int af, long srcHi, long srcLo, long dstHi, long dstLo, boolean pmtuDisc,
                           MutableDirectBuffer out, int outOffset) {
        if (f.kind == Frame.MALFORMED || f.kind == Frame.ARP || f.kind == Frame.OTHER) {
            return XmitResult.UNSUPPORTED;
        }
        int outerLength = af == Af.INET ? Ipv4.MIN_HEADER_LENGTH : Ipv6.HEADER_LENGTH;
        boolean withCsum = csum != TunnelChecksum.NOCSUM;
        int tunnelLength = 0;
        if (type == TunnelType.GUE) {
            tunnelLength = GUE_OVERHEAD;
        } else if (type == TunnelType.GRE) {
            tunnelLength = withCsum ? 8 : 4;
        }
        int payload = tunnelLength + f.ipLength;
        int total = outerLength + payload;
        if ((af == Af.INET ? total : payload) > 0xffff || outOffset + total > out.capacity()) {
            return XmitResult.NO_ROOM;
        }
        int rc = DirectRouteXmit.decrementTtl(src, f);
        if (rc != XmitResult.OK) {
            return rc;
        }
        int sport = type == TunnelType.GUE ? flowSourcePort(src, f) : 0;
        int inner = f.l3Offset;
        int innerProto = f.af == Af.INET ? IPPROTO_IPIP : IPPROTO_IPV6;
        int innerDs = f.af == Af.INET ? src.getByte(inner + Ipv4.TOS) & 0xff : Ipv6.trafficClass(src, inner);
        int ds = ecnEncapsulate(innerDs);
        int t = outOffset + outerLength;
        out.putBytes(t + tunnelLength, src, inner, f.ipLength);
        int outerProto = innerProto;
        if (type == TunnelType.GUE) {
            out.putShort(t + L4.SRC_PORT, (short) sport, BIG_ENDIAN);
            out.putShort(t + L4.DST_PORT, (short) tunnelPort, BIG_ENDIAN);
            out.putShort(t + L4.UDP_LENGTH_FIELD, (short) payload, BIG_ENDIAN);
            out.putShort(t + L4.UDP_CHECKSUM, (short) 0, BIG_ENDIAN);
            // GUE version 0, C 0, hlen 0 (no options), proto/ctype, flags 0
            out.putByte(t + L4.UDP_LENGTH, (byte) 0);
            out.putByte(t + L4.UDP_LENGTH + 1, (byte) innerProto);
            out.putShort(t + L4.UDP_LENGTH + 2, (short) 0, BIG_ENDIAN);
            outerProto = IpProto.UDP;
        } else if (type == TunnelType.GRE) {
            out.putShort(t, (short) (withCsum ? GRE_CSUM : 0), BIG_ENDIAN);
            out.putShort(t + 2, (short) (f.af == Af.INET ? Ethernet.ETH_P_IP : Ethernet.ETH_P_IPV6), BIG_ENDIAN);
            if (withCsum) {
                out.putInt(t + 4, 0, BIG_ENDIAN);
                // RFC 2784: over the GRE header and payload, no pseudo-header
                out.putShort(t + 4, (short) Checksum.compute(out, t, payload), BIG_ENDIAN);
            }
            outerProto = IPPROTO_GRE;
        }
        if (af == Af.INET) {
            boolean df = pmtuDisc && f.af == Af.INET && f.df;
            Ipv4.writeHeader(out, outOffset, ds, total, nextIpId++, df ? Ipv4.DF : 0, f.ttl, outerProto,
                (int) srcLo, (int) dstLo);
        } else {
            Ipv6.writeHeader(out, outOffset, ds, payload, outerProto, f.ttl, srcHi, srcLo, dstHi, dstLo);
        }
        if (type == TunnelType.GUE && withCsum) {
            int check = Checksum.l4(out, af, outOffset, IpProto.UDP, t, payload);
            out.putShort(t + L4.UDP_CHECKSUM, (short) (check == 0 ? 0xffff : check), BIG_ENDIAN);
        }
        return total;
    }

    /** INET_ECN_encapsulate(inner, inner): the outer DS field copies the inner one, except CE becomes ECT(0). */
    static int ecnEncapsulate(int innerDs) {
        return (innerDs & 0x03) == 0x03 ? (innerDs & ~0x03) | 0x02 : innerDs;
    }

    /**
     * The GUE source port of the inner flow, mapped into [{@link #LOCAL_PORT_MIN}, {@link #LOCAL_PORT_MAX})
     * as udp_flow_src_port does: multiply-shift of the (hash ^ hash << 16) over the range.
     */
    int flowSourcePort(DirectBuffer src, Frame f) {
        int h = flowHashSeed;
        h = mix(h, (int) (f.srcHi >>> 32) ^ (int) f.srcHi ^ (int) (f.srcLo >>> 32) ^ (int) f.srcLo);
        h = mix(h, (int) (f.dstHi >>> 32) ^ (int) f.dstHi ^ (int) (f.dstLo >>> 32) ^ (int) f.dstLo);
        int p = f.protocol;
        boolean ports = f.kind == Frame.IP && (p == IpProto.TCP || p == IpProto.UDP || p == IpProto.SCTP);
        h = mix(h, ports ? src.getInt(f.l4Offset, BIG_ENDIAN) : 0);
        h = mix(h, p);
        h = finalMix(h);
        h ^= h << 16;
        long span = LOCAL_PORT_MAX - LOCAL_PORT_MIN;
        return (int) (((h & 0xffff_ffffL) * span) >>> 32) + LOCAL_PORT_MIN;
    }

    // MurmurHash3 32-bit block and finalisation steps: cheap and well mixed
    private static int mix(int h, int k) {
        int x = Integer.rotateLeft(k * 0xcc9e_2d51, 15) * 0x1b87_3593;
        return Integer.rotateLeft(h ^ x, 13) * 5 + 0xe654_6b64;
    }

    private static int finalMix(int h) {
        int x = h ^ (h >>> 16);
        x *= 0x85eb_ca6b;
        x ^= x >>> 13;
        x *= 0xc2b2_ae35;
        return x ^ (x >>> 16);
    }
}
