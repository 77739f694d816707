package uvs.net.packet;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.DirectBuffer;
import uvs.core.PacketHeader;
import uvs.core.net.Af;
import uvs.core.net.IpProto;

/**
 * Parses one Ethernet frame into a {@link Frame} and, for IP packets, the engine's {@link PacketHeader}.
 * Every read is bounds-checked against the frame length: a truncated or inconsistent frame comes back as
 * {@link Frame#MALFORMED}, never as an exception. Allocation-free.
 */
public final class FrameParser {
    /** Packed result of an IPv6 extension-header walk: non-first fragment. */
    private static final long WALK_FRAGMENT = 1L << 40;
    /** Packed result of an IPv6 extension-header walk: M flag of a fragment header. */
    private static final long WALK_MORE_FRAGMENTS = 1L << 41;

    private FrameParser() {
    }

    /**
     * Parses the frame of {@code length} bytes at index 0 of {@code b} into {@code f}. For {@link Frame#IP}
     * {@code h} describes the packet; for {@link Frame#ICMP_ERROR} it describes the quoted packet (addresses
     * and ports as the quoted packet carried them) with {@code length} = the ICMP packet's IP length. Other
     * kinds leave {@code h} cleared. Returns {@code f.kind}.
     */
    public static int parse(DirectBuffer b, int length, Frame f, PacketHeader h) {
        h.clear();
        f.kind = Frame.MALFORMED;
        f.vlanTci = -1;
        f.l4Offset = -1;
        f.ndLinkAddr = -1;
        if (length < Ethernet.HEADER_LENGTH || length > b.capacity()) {
            return f.kind;
        }
        int off = Ethernet.HEADER_LENGTH;
        int type = b.getShort(Ethernet.TYPE, BIG_ENDIAN) & 0xffff;
        if (type == Ethernet.ETH_P_8021Q) {
            if (length < Ethernet.HEADER_LENGTH + Ethernet.VLAN_TAG_LENGTH) {
                return f.kind;
            }
            f.vlanTci = b.getShort(Ethernet.TYPE + 2, BIG_ENDIAN) & 0xffff;
            type = b.getShort(Ethernet.TYPE + 4, BIG_ENDIAN) & 0xffff;
            off += Ethernet.VLAN_TAG_LENGTH;
        }
        f.ethertype = type;
        f.l3Offset = off;
        switch (type) {
            case Ethernet.ETH_P_IP -> parseIpv4(b, off, length, f, h);
            case Ethernet.ETH_P_IPV6 -> parseIpv6(b, off, length, f, h);
            case Ethernet.ETH_P_ARP -> parseArp(b, off, length, f);
            default -> f.kind = Frame.OTHER;
        }
        return f.kind;
    }

    private static void parseArp(DirectBuffer b, int off, int end, Frame f) {
        if (end - off < ArpHeader.LENGTH) {
            return;
        }
        if ((b.getShort(off + ArpHeader.HTYPE, BIG_ENDIAN) & 0xffff) != 1
            || (b.getShort(off + ArpHeader.PTYPE, BIG_ENDIAN) & 0xffff) != Ethernet.ETH_P_IP
            || b.getByte(off + ArpHeader.HLEN) != 6 || b.getByte(off + ArpHeader.PLEN) != 4) {
            f.kind = Frame.OTHER;
            return;
        }
        f.arpOp = b.getShort(off + ArpHeader.OPER, BIG_ENDIAN) & 0xffff;
        f.arpSenderMac = Ethernet.readMac(b, off + ArpHeader.SHA);
        f.arpSenderIp = b.getInt(off + ArpHeader.SPA, BIG_ENDIAN);
        f.arpTargetIp = b.getInt(off + ArpHeader.TPA, BIG_ENDIAN);
        f.kind = Frame.ARP;
    }

    private static void parseIpv4(DirectBuffer b, int off, int end, Frame f, PacketHeader h) {
        if (end - off < Ipv4.MIN_HEADER_LENGTH || (b.getByte(off) & 0xf0) != 0x40) {
            return;
        }
        int ihl = Ipv4.headerLength(b, off);
        int total = Ipv4.totalLength(b, off);
        if (ihl < Ipv4.MIN_HEADER_LENGTH || total < ihl || total > end - off) {
            return;
        }
        int frag = b.getShort(off + Ipv4.FRAG, BIG_ENDIAN) & 0xffff;
        f.af = Af.INET;
        f.protocol = b.getByte(off + Ipv4.PROTOCOL) & 0xff;
        f.ttl = b.getByte(off + Ipv4.TTL) & 0xff;
        f.ipLength = total;
        f.df = (frag & Ipv4.DF) != 0;
        f.moreFragments = (frag & Ipv4.MF) != 0;
        f.srcHi = 0;
        f.srcLo = Ipv4.src(b, off) & 0xffff_ffffL;
        f.dstHi = 0;
        f.dstLo = Ipv4.dst(b, off) & 0xffff_ffffL;
        f.l4Offset = off + ihl;
        if ((frag & Ipv4.OFFSET_MASK) != 0) {
            f.kind = Frame.FRAGMENT;
            return;
        }
        parseUpper(b, f.l4Offset, off + total, f, h);
    }

    private static void parseIpv6(DirectBuffer b, int off, int end, Frame f, PacketHeader h) {
        if (end - off < Ipv6.HEADER_LENGTH || (b.getByte(off) & 0xf0) != 0x60) {
            return;
        }
        int total = Ipv6.HEADER_LENGTH + Ipv6.payloadLength(b, off);
        if (total > end - off) {
            return;
        }
        int ipEnd = off + total;
        long walk = walkExtensions(b, off + Ipv6.HEADER_LENGTH, b.getByte(off + Ipv6.NEXT_HEADER) & 0xff, ipEnd);
        if (walk < 0) {
            return;
        }
        f.af = Af.INET6;
        f.protocol = (int) (walk & 0xff);
        f.ttl = b.getByte(off + Ipv6.HOP_LIMIT) & 0xff;
        f.ipLength = total;
        f.df = false;
        f.moreFragments = (walk & WALK_MORE_FRAGMENTS) != 0;
        f.srcHi = b.getLong(off + Ipv6.SRC, BIG_ENDIAN);
        f.srcLo = b.getLong(off + Ipv6.SRC + 8, BIG_ENDIAN);
        f.dstHi = b.getLong(off + Ipv6.DST, BIG_ENDIAN);
        f.dstLo = b.getLong(off + Ipv6.DST + 8, BIG_ENDIAN);
        f.l4Offset = (int) (walk >>> 8 & 0xffff_ffffL);
        if ((walk & WALK_FRAGMENT) != 0) {
            f.kind = Frame.FRAGMENT;
            return;
        }
        parseUpper(b, f.l4Offset, ipEnd, f, h);
    }

    /**
     * Walks IPv6 extension headers from {@code p} (whose type is {@code next}) within {@code end}. Returns -1
     * when truncated, else the upper protocol in bits 0-7, its offset in bits 8-39 and the fragment flags.
     */
    private static long walkExtensions(DirectBuffer b, int p, int next, int end) {
        int nh = next;
        int at = p;
        long flags = 0;
        while (nh == Ipv6.NEXTHDR_HOP || nh == Ipv6.NEXTHDR_ROUTING || nh == Ipv6.NEXTHDR_DEST
            || nh == Ipv6.NEXTHDR_FRAGMENT || nh == Ipv6.NEXTHDR_AUTH) {
            if (end - at < 8) {
                return -1;
            }
            int len;
            if (nh == Ipv6.NEXTHDR_FRAGMENT) {
                int fo = b.getShort(at + 2, BIG_ENDIAN) & 0xffff;
                flags |= (fo & 1) != 0 ? WALK_MORE_FRAGMENTS : 0;
                if ((fo & 0xfff8) != 0) {
                    flags |= WALK_FRAGMENT;
                }
                len = Ipv6.FRAGMENT_HEADER_LENGTH;
            } else if (nh == Ipv6.NEXTHDR_AUTH) {
                len = ((b.getByte(at + 1) & 0xff) + 2) << 2;
            } else {
                len = ((b.getByte(at + 1) & 0xff) + 1) << 3;
            }
            nh = b.getByte(at) & 0xff;
            at += len;
            if (at > end) {
                return -1;
            }
            if ((flags & WALK_FRAGMENT) != 0) {
                break;
            }
        }
        return flags | (long) at << 8 | nh;
    }

    /** Transport layer of a first fragment or whole packet: ports, ICMP errors, neighbour discovery. */
    private static void parseUpper(DirectBuffer b, int l4, int ipEnd, Frame f, PacketHeader h) {
        int proto = f.protocol;
        if (proto == IpProto.ICMP || proto == IpProto.ICMPV6) {
            if (ipEnd - l4 < L4.ICMP_HEADER_LENGTH) {
                return;
            }
            f.icmpType = b.getByte(l4 + L4.ICMP_TYPE) & 0xff;
            f.icmpCode = b.getByte(l4 + L4.ICMP_CODE) & 0xff;
            if (proto == IpProto.ICMP ? isTranslatableIcmp(f.icmpType) : isTranslatableIcmpv6(f.icmpType)) {
                parseQuote(b, l4 + L4.ICMP_HEADER_LENGTH, ipEnd, f, h);
                return;
            }
            if (proto == IpProto.ICMPV6 && (f.icmpType == L4.NDISC_NEIGHBOUR_SOLICITATION
                || f.icmpType == L4.NDISC_NEIGHBOUR_ADVERTISEMENT)) {
                parseNeighbor(b, l4, ipEnd, f);
                return;
            }
        }
        if (!parsePorts(b, l4, ipEnd, proto, h, true)) {
            return;
        }
        fillAddresses(f, h);
        h.length = f.ipLength;
        f.kind = Frame.IP;
    }

    /** The ICMPv4 errors IPVS relates to connections (plus parameter problem, which also quotes the packet). */
    private static boolean isTranslatableIcmp(int type) {
        return type == L4.ICMP_DEST_UNREACH || type == L4.ICMP_SOURCE_QUENCH
            || type == L4.ICMP_TIME_EXCEEDED || type == L4.ICMP_PARAMETERPROB;
    }

    /** ICMPv6 destination unreachable, packet too big, time exceeded, parameter problem. */
    private static boolean isTranslatableIcmpv6(int type) {
        return type >= L4.ICMPV6_DEST_UNREACH && type <= L4.ICMPV6_PARAMPROB;
    }

    private static void fillAddresses(Frame f, PacketHeader h) {
        h.af = f.af;
        h.protocol = f.protocol;
        h.srcHi = f.srcHi;
        h.srcLo = f.srcLo;
        h.dstHi = f.dstHi;
        h.dstLo = f.dstLo;
    }

    /**
     * Ports (and TCP flags, SCTP chunk types) of the transport header at {@code l4}; false when too short.
     * A quote ({@code whole} false) needs only the 4 port bytes, as RFC 792 guarantees 8 quoted bytes.
     */
    private static boolean parsePorts(DirectBuffer b, int l4, int ipEnd, int proto, PacketHeader h, boolean whole) {
        int avail = ipEnd - l4;
        int need = switch (proto) {
            case IpProto.TCP -> whole ? L4.TCP_MIN_LENGTH : 4;
            case IpProto.UDP -> whole ? L4.UDP_LENGTH : 4;
            case IpProto.SCTP -> whole ? L4.SCTP_COMMON_LENGTH + L4.SCTP_CHUNK_HEADER_LENGTH : 4;
            default -> 0;
        };
        if (avail < need) {
            return false;
        }
        if (need == 0) {
            return true;
        }
        h.srcPort = b.getShort(l4 + L4.SRC_PORT, BIG_ENDIAN) & 0xffff;
        h.dstPort = b.getShort(l4 + L4.DST_PORT, BIG_ENDIAN) & 0xffff;
        if (!whole) {
            return true;
        }
        if (proto == IpProto.TCP) {
            h.tcpFlags = b.getByte(l4 + L4.TCP_FLAGS) & 0xff;
        } else if (proto == IpProto.SCTP) {
            int chunk = l4 + L4.SCTP_COMMON_LENGTH;
            h.sctpChunkType = b.getByte(chunk) & 0xff;
            int chunkLength = b.getShort(chunk + 2, BIG_ENDIAN) & 0xffff;
            int next = chunk + ((chunkLength + 3) & ~3);
            h.sctpNextChunkType = chunkLength >= L4.SCTP_CHUNK_HEADER_LENGTH
                && ipEnd - next >= L4.SCTP_CHUNK_HEADER_LENGTH ? b.getByte(next) & 0xff : -1;
        }
        return true;
    }

    /** The packet quoted by an ICMP error at {@code q}; a quote too short for its ports is malformed. */
    private static void parseQuote(DirectBuffer b, int q, int ipEnd, Frame f, PacketHeader h) {
        int avail = ipEnd - q;
        if (avail < 1) {
            return;
        }
        int version = b.getByte(q) & 0xf0;
        int innerL4;
        int innerProto;
        if (f.af == Af.INET && version == 0x40) {
            if (avail < Ipv4.MIN_HEADER_LENGTH) {
                return;
            }
            int ihl = Ipv4.headerLength(b, q);
            if (ihl < Ipv4.MIN_HEADER_LENGTH || ihl > avail) {
                return;
            }
            if ((b.getShort(q + Ipv4.FRAG, BIG_ENDIAN) & Ipv4.OFFSET_MASK) != 0) {
                plainIcmp(f, h);
                return;
            }
            innerProto = b.getByte(q + Ipv4.PROTOCOL) & 0xff;
            innerL4 = q + ihl;
            h.af = Af.INET;
            h.srcHi = 0;
            h.srcLo = Ipv4.src(b, q) & 0xffff_ffffL;
            h.dstHi = 0;
            h.dstLo = Ipv4.dst(b, q) & 0xffff_ffffL;
        } else if (f.af == Af.INET6 && version == 0x60) {
            if (avail < Ipv6.HEADER_LENGTH) {
                return;
            }
            long walk = walkExtensions(b, q + Ipv6.HEADER_LENGTH, b.getByte(q + Ipv6.NEXT_HEADER) & 0xff, ipEnd);
            if (walk < 0) {
                return;
            }
            if ((walk & WALK_FRAGMENT) != 0) {
                plainIcmp(f, h);
                return;
            }
            innerProto = (int) (walk & 0xff);
            innerL4 = (int) (walk >>> 8 & 0xffff_ffffL);
            h.af = Af.INET6;
            h.srcHi = b.getLong(q + Ipv6.SRC, BIG_ENDIAN);
            h.srcLo = b.getLong(q + Ipv6.SRC + 8, BIG_ENDIAN);
            h.dstHi = b.getLong(q + Ipv6.DST, BIG_ENDIAN);
            h.dstLo = b.getLong(q + Ipv6.DST + 8, BIG_ENDIAN);
        } else {
            return;
        }
        if (!parsePorts(b, innerL4, ipEnd, innerProto, h, false)) {
            h.clear();
            return;
        }
        h.protocol = innerProto;
        h.length = f.ipLength;
        f.innerAf = h.af;
        f.innerProtocol = innerProto;
        f.innerL3Offset = q;
        f.innerL4Offset = innerL4;
        f.kind = Frame.ICMP_ERROR;
    }

    /** An ICMP error whose quote cannot be related to a connection (a non-first fragment): a plain packet. */
    private static void plainIcmp(Frame f, PacketHeader h) {
        h.clear();
        fillAddresses(f, h);
        h.length = f.ipLength;
        f.kind = Frame.IP;
    }

    /** NS/NA (RFC 4861 §7.1.1/7.1.2 validity: hop limit 255, code 0, at least 24 bytes, no 0-length option). */
    private static void parseNeighbor(DirectBuffer b, int l4, int ipEnd, Frame f) {
        if (f.ttl != 255 || f.icmpCode != 0 || ipEnd - l4 < L4.ND_MESSAGE_LENGTH) {
            return;
        }
        boolean solicit = f.icmpType == L4.NDISC_NEIGHBOUR_SOLICITATION;
        int wanted = solicit ? L4.ND_OPT_SOURCE_LL_ADDR : L4.ND_OPT_TARGET_LL_ADDR;
        for (int o = l4 + L4.ND_MESSAGE_LENGTH; o < ipEnd; ) {
            if (ipEnd - o < 2) {
                return;
            }
            int len = (b.getByte(o + 1) & 0xff) << 3;
            if (len == 0 || len > ipEnd - o) {
                return;
            }
            if ((b.getByte(o) & 0xff) == wanted && len >= 8) {
                f.ndLinkAddr = Ethernet.readMac(b, o + 2);
            }
            o += len;
        }
        f.ndFlags = solicit ? 0 : b.getByte(l4 + 4) & 0xff;
        f.ndTargetHi = b.getLong(l4 + L4.ND_TARGET, BIG_ENDIAN);
        f.ndTargetLo = b.getLong(l4 + L4.ND_TARGET + 8, BIG_ENDIAN);
        f.kind = solicit ? Frame.NEIGHBOR_SOLICIT : Frame.NEIGHBOR_ADVERT;
    }
}
