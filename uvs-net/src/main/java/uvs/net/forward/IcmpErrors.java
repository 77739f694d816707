package uvs.net.forward;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.net.packet.Checksum;
import uvs.net.packet.Frame;
import uvs.net.packet.Ipv4;
import uvs.net.packet.Ipv6;
import uvs.net.packet.L4;

/**
 * Builds the ICMP / ICMPv6 errors the director itself sends (icmp_send / icmp6_send): an IP packet from a
 * given address to the original packet's source, quoting the original IP packet so that the whole error
 * fits 576 bytes (IPv4) or 1280 bytes (IPv6). Never answers an ICMP error, a non-first fragment, or a packet
 * to or from a broadcast/multicast address (link or IP), except IPv6 packet-too-big for multicast as RFC 4443
 * §2.4(e) allows. One instance per worker (it owns an IPv4 ID counter).
 */
public final class IcmpErrors {
    /** Largest IPv4 error packet (RFC 1812 §4.3.2.3). */
    public static final int IPV4_MAX_LENGTH = 576;
    /** Largest IPv6 error packet (RFC 4443 §2.4(c): the minimum MTU). */
    public static final int IPV6_MAX_LENGTH = 1280;
    /** TTL / hop limit of the errors (the Linux default). */
    public static final int TTL = 64;
    /** IPTOS_PREC_INTERNETCONTROL, or-ed into the TOS of ICMPv4 errors. */
    private static final int TOS_INTERNET_CONTROL = 0xc0;
    /** IPTOS_TOS_MASK: the TOS bits copied from the original packet. */
    private static final int TOS_MASK = 0x1e;
    private static final int ICMPV6_TIME_EXCEED_TRANSIT = 0;

    private int nextIpId;

    /** A builder whose IPv4 IDs count up from {@code firstIpId}. */
    public IcmpErrors(int firstIpId) {
        this.nextIpId = firstIpId;
    }

    /**
     * Time exceeded in transit (ICMP type 11 code 0 / ICMPv6 type 3 code 0) about the packet {@code f}
     * describes in {@code b}, sent from {@code fromHi/fromLo}. Returns the length written at {@code off},
     * 0 when no error may be sent, or {@link XmitResult#NO_ROOM}.
     */
    public int timeExceeded(DirectBuffer b, Frame f, long fromHi, long fromLo, MutableDirectBuffer out, int off) {
        return f.af == Af.INET
            ? build4(b, f, L4.ICMP_TIME_EXCEEDED, 0, 0, fromLo, out, off)
            : build6(b, f, L4.ICMPV6_TIME_EXCEED, ICMPV6_TIME_EXCEED_TRANSIT, 0, fromHi, fromLo, out, off);
    }

    /**
     * Fragmentation needed with next-hop MTU (ICMP type 3 code 4) for IPv4, packet too big with MTU (ICMPv6
     * type 2) for IPv6. Results as {@link #timeExceeded}.
     */
    public int packetTooBig(DirectBuffer b, Frame f, int mtu, long fromHi, long fromLo, MutableDirectBuffer out,
                            int off) {
        return f.af == Af.INET
            ? build4(b, f, L4.ICMP_DEST_UNREACH, L4.ICMP_FRAG_NEEDED, mtu & 0xffff, fromLo, out, off)
            : build6(b, f, L4.ICMPV6_PKT_TOOBIG, 0, mtu, fromHi, fromLo, out, off);
    }

    /** Port unreachable (ICMP type 3 code 3 / ICMPv6 type 1 code 4). Results as {@link #timeExceeded}. */
    public int portUnreachable(DirectBuffer b, Frame f, long fromHi, long fromLo, MutableDirectBuffer out, int off) {
        return f.af == Af.INET
            ? build4(b, f, L4.ICMP_DEST_UNREACH, L4.ICMP_PORT_UNREACH, 0, fromLo, out, off)
            : build6(b, f, L4.ICMPV6_DEST_UNREACH, L4.ICMPV6_PORT_UNREACH, 0, fromHi, fromLo, out, off);
    }

    /**
     * Host unreachable (ICMP type 3 code 1 / ICMPv6 type 1 code 3, address unreachable): what the kernel sends
     * when a next hop's ARP/ND resolution fails. Results as {@link #timeExceeded}.
     */
    public int hostUnreachable(DirectBuffer b, Frame f, long fromHi, long fromLo, MutableDirectBuffer out, int off) {
        return f.af == Af.INET
            ? build4(b, f, L4.ICMP_DEST_UNREACH, L4.ICMP_HOST_UNREACH, 0, fromLo, out, off)
            : build6(b, f, L4.ICMPV6_DEST_UNREACH, L4.ICMPV6_ADDR_UNREACH, 0, fromHi, fromLo, out, off);
    }

    /** Only whole or first-fragment IP packets that are not themselves ICMP errors (ICMP_ERROR kinds included). */
    private static boolean answerable(Frame f) {
        if (f.kind != Frame.IP) {
            return false;
        }
        if (f.protocol == IpProto.ICMP && f.af == Af.INET) {
            return !L4.isIcmpError(f.icmpType);
        }
        return !(f.protocol == IpProto.ICMPV6 && L4.isIcmpv6Error(f.icmpType));
    }

    private int build4(DirectBuffer b, Frame f, int type, int code, int rest, long fromLo, MutableDirectBuffer out,
                       int off) {
        int src = (int) f.srcLo;
        if (!answerable(f) || (b.getByte(0) & 1) != 0 || src == 0 || Ipv4.isMulticastOrBroadcast(src)
            || Ipv4.isMulticastOrBroadcast((int) f.dstLo)) {
            return 0;
        }
        int header = Ipv4.MIN_HEADER_LENGTH + L4.ICMP_HEADER_LENGTH;
        int quote = Math.min(f.ipLength, IPV4_MAX_LENGTH - header);
        int total = header + quote;
        if (off + total > out.capacity()) {
            return XmitResult.NO_ROOM;
        }
        int tos = (b.getByte(f.l3Offset + Ipv4.TOS) & TOS_MASK) | TOS_INTERNET_CONTROL;
        int icmp = off + Ipv4.MIN_HEADER_LENGTH;
        out.putBytes(icmp + L4.ICMP_HEADER_LENGTH, b, f.l3Offset, quote);
        out.putByte(icmp + L4.ICMP_TYPE, (byte) type);
        out.putByte(icmp + L4.ICMP_CODE, (byte) code);
        out.putShort(icmp + L4.ICMP_CHECKSUM, (short) 0, BIG_ENDIAN);
        out.putInt(icmp + 4, rest, BIG_ENDIAN);
        out.putShort(icmp + L4.ICMP_CHECKSUM, (short) Checksum.compute(out, icmp, total - Ipv4.MIN_HEADER_LENGTH),
            BIG_ENDIAN);
        Ipv4.writeHeader(out, off, tos, total, nextIpId++, 0, TTL, IpProto.ICMP, (int) fromLo, src);
        return total;
    }

    private static int build6(DirectBuffer b, Frame f, int type, int code, int rest, long fromHi, long fromLo,
                              MutableDirectBuffer out, int off) {
        boolean linkGroup = (b.getByte(0) & 1) != 0;
        boolean multicast = linkGroup || Ipv6.isMulticast(f.dstHi);
        if (!answerable(f) || multicast && type != L4.ICMPV6_PKT_TOOBIG
            || f.srcHi == 0 && f.srcLo == 0 || Ipv6.isMulticast(f.srcHi)) {
            return 0;
        }
        int header = Ipv6.HEADER_LENGTH + L4.ICMP_HEADER_LENGTH;
        int quote = Math.min(f.ipLength, IPV6_MAX_LENGTH - header);
        int total = header + quote;
        if (off + total > out.capacity()) {
            return XmitResult.NO_ROOM;
        }
        int icmp = off + Ipv6.HEADER_LENGTH;
        int icmpLength = total - Ipv6.HEADER_LENGTH;
        out.putBytes(icmp + L4.ICMP_HEADER_LENGTH, b, f.l3Offset, quote);
        Ipv6.writeHeader(out, off, 0, icmpLength, IpProto.ICMPV6, TTL, fromHi, fromLo, f.srcHi, f.srcLo);
        out.putByte(icmp + L4.ICMP_TYPE, (byte) type);
        out.putByte(icmp + L4.ICMP_CODE, (byte) code);
        out.putShort(icmp + L4.ICMP_CHECKSUM, (short) 0, BIG_ENDIAN);
        out.putInt(icmp + 4, rest, BIG_ENDIAN);
        out.putShort(icmp + L4.ICMP_CHECKSUM,
            (short) Checksum.l4(out, Af.INET6, off, IpProto.ICMPV6, icmp, icmpLength), BIG_ENDIAN);
        return total;
    }
}
