package uvs.net.forward;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.MutableDirectBuffer;
import uvs.core.Decision;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.net.packet.Checksum;
import uvs.net.packet.Crc32c;
import uvs.net.packet.Frame;
import uvs.net.packet.Ipv4;
import uvs.net.packet.Ipv6;
import uvs.net.packet.L4;

/**
 * NAT (masquerading, ip_vs_nat_xmit and the reply path): rewrites addresses and ports in place with the
 * checksum rules of ipvs-reference §8. IPv4 header and TCP/UDP/ICMPv6 checksums are updated incrementally
 * (RFC 1624); a UDP checksum of 0 gets a full recompute and a computed 0 is sent as 0xFFFF; the SCTP CRC32c
 * is recomputed when a port changes. Every method first decrements the TTL, since the director routes the
 * packet, and returns {@link XmitResult#TTL_EXCEEDED} (packet unchanged) when it cannot.
 */
public final class NatXmit {
    private NatXmit() {
    }

    /**
     * Inbound client → real server ({@code Verdict.FORWARD}): destination address := {@code d.daddr},
     * destination port := {@code d.dport} (TCP/UDP/SCTP). Non-first fragments get the address only.
     */
    public static int dnat(MutableDirectBuffer b, Frame f, Decision d) {
        if (f.kind != Frame.IP && f.kind != Frame.FRAGMENT) {
            return XmitResult.UNSUPPORTED;
        }
        int rc = DirectRouteXmit.decrementTtl(b, f);
        if (rc == XmitResult.OK) {
            rewrite(b, f, true, d.daddrHi, d.daddrLo, d.dport);
        }
        return rc;
    }

    /**
     * Reply real server → client ({@code Verdict.FORWARD_REPLY}): source address := {@code d.vaddr},
     * source port := {@code d.vport}.
     */
    public static int snat(MutableDirectBuffer b, Frame f, Decision d) {
        if (f.kind != Frame.IP && f.kind != Frame.FRAGMENT) {
            return XmitResult.UNSUPPORTED;
        }
        int rc = DirectRouteXmit.decrementTtl(b, f);
        if (rc == XmitResult.OK) {
            rewrite(b, f, false, d.vaddrHi, d.vaddrLo, d.vport);
        }
        return rc;
    }

    /**
     * Inbound ICMP error (from the client side, about a reply the director sent as VIP:vport → client),
     * forwarded to the real server ({@code Verdict.FORWARD} from {@code processIcmpError} with INPUT): outer
     * destination := {@code d.daddr}; in the quote, source := {@code d.daddr} and source port := {@code d.dport},
     * so the real server recognises its own packet RIP:rport → client. The quote's IPv4 header checksum and the
     * ICMP checksum are recomputed; the quote's transport checksum is left alone, as the kernel does.
     */
    public static int dnatIcmp(MutableDirectBuffer b, Frame f, Decision d) {
        return translateIcmp(b, f, true, d.daddrHi, d.daddrLo, d.dport);
    }

    /**
     * Outbound ICMP error (from the real server side, about a client packet the director forwarded as
     * client → RIP:rport), sent on to the client ({@code Verdict.FORWARD_REPLY} from {@code processIcmpError}
     * with OUTPUT): outer source := {@code d.vaddr}; in the quote, destination := {@code d.vaddr} and
     * destination port := {@code d.vport}, so the client sees its own packet client → VIP:vport. Checksums as
     * for {@link #dnatIcmp}.
     */
    public static int snatIcmp(MutableDirectBuffer b, Frame f, Decision d) {
        return translateIcmp(b, f, false, d.vaddrHi, d.vaddrLo, d.vport);
    }

    private static int translateIcmp(MutableDirectBuffer b, Frame f, boolean inbound, long hi, long lo, int port) {
        if (f.kind != Frame.ICMP_ERROR || f.innerAf != f.af) {
            return XmitResult.UNSUPPORTED;
        }
        int rc = DirectRouteXmit.decrementTtl(b, f);
        if (rc != XmitResult.OK) {
            return rc;
        }
        int ip = f.l3Offset;
        int outerField = inbound ? addressOffset(f.af, true) : addressOffset(f.af, false);
        int innerField = inbound ? addressOffset(f.af, false) : addressOffset(f.af, true);
        if (f.af == Af.INET) {
            int old = b.getInt(ip + outerField, BIG_ENDIAN);
            b.putInt(ip + outerField, (int) lo, BIG_ENDIAN);
            b.putShort(ip + Ipv4.CHECKSUM, (short) Checksum.update32(Ipv4.checksum(b, ip), old, (int) lo), BIG_ENDIAN);
            b.putInt(f.innerL3Offset + innerField, (int) lo, BIG_ENDIAN);
            Ipv4.writeChecksum(b, f.innerL3Offset);
        } else {
            putAddress6(b, ip + outerField, hi, lo);
            putAddress6(b, f.innerL3Offset + innerField, hi, lo);
        }
        int p = f.innerProtocol;
        if (p == IpProto.TCP || p == IpProto.UDP || p == IpProto.SCTP) {
            b.putShort(f.innerL4Offset + (inbound ? L4.SRC_PORT : L4.DST_PORT), (short) port, BIG_ENDIAN);
        }
        int l4 = f.l4Offset;
        int l4Length = ip + f.ipLength - l4;
        b.putShort(l4 + L4.ICMP_CHECKSUM, (short) 0, BIG_ENDIAN);
        int check = f.af == Af.INET
            ? Checksum.compute(b, l4, l4Length)
            : Checksum.l4(b, Af.INET6, ip, IpProto.ICMPV6, l4, l4Length);
        b.putShort(l4 + L4.ICMP_CHECKSUM, (short) check, BIG_ENDIAN);
        if (inbound) {
            f.dstHi = hi;
            f.dstLo = lo;
        } else {
            f.srcHi = hi;
            f.srcLo = lo;
        }
        return XmitResult.OK;
    }

    private static int addressOffset(int af, boolean dst) {
        if (af == Af.INET) {
            return dst ? Ipv4.DST : Ipv4.SRC;
        }
        return dst ? Ipv6.DST : Ipv6.SRC;
    }

    private static void putAddress6(MutableDirectBuffer b, int off, long hi, long lo) {
        b.putLong(off, hi, BIG_ENDIAN);
        b.putLong(off + 8, lo, BIG_ENDIAN);
    }

    /** Rewrites the destination (or source) address and port and fixes every checksum that covers them. */
    private static void rewrite(MutableDirectBuffer b, Frame f, boolean dst, long hi, long lo, int port) {
        int ip = f.l3Offset;
        int addr = ip + addressOffset(f.af, dst);
        // the RFC 1624 update of the pseudo-header part, applied to whichever L4 checksum covers it
        int oldV4 = 0;
        long oldHi = 0;
        long oldLo = 0;
        if (f.af == Af.INET) {
            oldV4 = b.getInt(addr, BIG_ENDIAN);
            b.putInt(addr, (int) lo, BIG_ENDIAN);
            b.putShort(ip + Ipv4.CHECKSUM, (short) Checksum.update32(Ipv4.checksum(b, ip), oldV4, (int) lo), BIG_ENDIAN);
        } else {
            oldHi = b.getLong(addr, BIG_ENDIAN);
            oldLo = b.getLong(addr + 8, BIG_ENDIAN);
            putAddress6(b, addr, hi, lo);
        }
        if (dst) {
            f.dstHi = hi;
            f.dstLo = lo;
        } else {
            f.srcHi = hi;
            f.srcLo = lo;
        }
        if (f.kind == Frame.FRAGMENT) {
            return;
        }
        int l4 = f.l4Offset;
        int ipEnd = ip + f.ipLength;
        int portOff = l4 + (dst ? L4.DST_PORT : L4.SRC_PORT);
        switch (f.protocol) {
            case IpProto.TCP -> {
                int oldPort = b.getShort(portOff, BIG_ENDIAN) & 0xffff;
                b.putShort(portOff, (short) port, BIG_ENDIAN);
                int check = b.getShort(l4 + L4.TCP_CHECKSUM, BIG_ENDIAN) & 0xffff;
                check = addressUpdate(f.af, check, oldV4, oldHi, oldLo, hi, lo);
                check = Checksum.update16(check, oldPort, port);
                b.putShort(l4 + L4.TCP_CHECKSUM, (short) check, BIG_ENDIAN);
            }
            case IpProto.UDP -> {
                int oldPort = b.getShort(portOff, BIG_ENDIAN) & 0xffff;
                b.putShort(portOff, (short) port, BIG_ENDIAN);
                int check = b.getShort(l4 + L4.UDP_CHECKSUM, BIG_ENDIAN) & 0xffff;
                if (check != 0) {
                    check = addressUpdate(f.af, check, oldV4, oldHi, oldLo, hi, lo);
                    check = Checksum.update16(check, oldPort, port);
                } else if (!f.moreFragments) {
                    check = Checksum.l4(b, f.af, ip, IpProto.UDP, l4, ipEnd - l4);
                } else {
                    // a first fragment without checksum: the whole datagram is not here to sum
                    return;
                }
                b.putShort(l4 + L4.UDP_CHECKSUM, (short) (check == 0 ? 0xffff : check), BIG_ENDIAN);
            }
            case IpProto.SCTP -> {
                int oldPort = b.getShort(portOff, BIG_ENDIAN) & 0xffff;
                b.putShort(portOff, (short) port, BIG_ENDIAN);
                // the CRC covers no addresses; a first fragment cannot be summed (the kernel defragments first)
                if (oldPort != port && !f.moreFragments) {
                    writeSctpChecksum(b, l4, ipEnd - l4);
                }
            }
            case IpProto.ICMPV6 -> {
                int check = b.getShort(l4 + L4.ICMP_CHECKSUM, BIG_ENDIAN) & 0xffff;
                check = Checksum.update128(check, oldHi, oldLo, hi, lo);
                b.putShort(l4 + L4.ICMP_CHECKSUM, (short) check, BIG_ENDIAN);
            }
            default -> {
                // other protocols carry no checksum over the addresses (ICMPv4, GRE, ESP, ...)
            }
        }
    }

    private static int addressUpdate(int af, int check, int oldV4, long oldHi, long oldLo, long hi, long lo) {
        return af == Af.INET
            ? Checksum.update32(check, oldV4, (int) lo)
            : Checksum.update128(check, oldHi, oldLo, hi, lo);
    }

    /** Recomputes the CRC32c of the SCTP packet at {@code l4} (stored little-endian, as Linux does). */
    private static void writeSctpChecksum(MutableDirectBuffer b, int l4, int length) {
        b.putInt(l4 + L4.SCTP_CHECKSUM, 0);
        b.putInt(l4 + L4.SCTP_CHECKSUM, Crc32c.compute(b, l4, length), LITTLE_ENDIAN);
    }
}
