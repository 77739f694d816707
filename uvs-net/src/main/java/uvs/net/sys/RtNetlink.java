package uvs.net.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import uvs.core.net.Af;

/**
 * Decodes rtnetlink datagrams (the kernel's uapi {@code netlink.h}, {@code rtnetlink.h}, {@code neighbour.h};
 * header fields in host byte order, addresses in network order): route and neighbour messages go to a
 * {@link Listener}, the end of a dump and error answers too. A message that does not hold together (a length
 * that runs past the datagram, a header or attribute cut short) is reported once by
 * {@link Listener#malformed} and the rest of its datagram is not read: nothing of it reaches the listener.
 */
public final class RtNetlink {
    /** {@code nlmsghdr}: len u32, type u16, flags u16, seq u32, pid u32. */
    public static final int NLMSG_HDRLEN = 16;
    /** {@code rtmsg}: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags u32. */
    public static final int RTMSG_LEN = 12;
    /** {@code ndmsg}: family u8, pad u8, pad u16, ifindex s32, state u16, flags u8, type u8. */
    public static final int NDMSG_LEN = 12;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_DELNEIGH = 29;
    public static final int RTM_GETNEIGH = 30;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_DUMP = 0x300;

    /** Multicast groups (the legacy bit masks bind(2) takes). */
    public static final int RTMGRP_LINK = 0x1;
    public static final int RTMGRP_NEIGH = 0x4;
    public static final int RTMGRP_IPV4_ROUTE = 0x40;
    public static final int RTMGRP_IPV6_ROUTE = 0x400;

    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_TABLE = 15;
    public static final int NDA_DST = 1;
    public static final int NDA_LLADDR = 2;

    /** {@code RT_TABLE_MAIN}: the table {@code ip route} shows. */
    public static final int RT_TABLE_MAIN = 254;
    /** {@code RTN_UNICAST}: a route packets are forwarded by (not local, broadcast, unreachable...). */
    public static final int RTN_UNICAST = 1;
    /** Neighbour states whose link-layer address can be used: reachable, stale, delay, probe, permanent. */
    public static final int NUD_VALID = 0x02 | 0x04 | 0x08 | 0x10 | 0x80;

    private static final int LINUX_AF_INET = 2;
    private static final int LINUX_AF_INET6 = 10;

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("rtnetlink decoding assumes a little-endian host");
        }
    }

    private RtNetlink() {
    }

    /** What a datagram said. Routes and neighbours are given as decoded; the listener picks what it keeps. */
    public interface Listener {
        /**
         * A route added ({@code RTM_NEWROUTE}) or removed ({@code RTM_DELROUTE}).
         *
         * @param af {@link Af#INET} or {@link Af#INET6}
         * @param table the routing table (RTA_TABLE when present, else rtm_table)
         * @param type rtm_type ({@link #RTN_UNICAST} for a forwarding route)
         * @param oif the output interface index, 0 when absent
         */
        void route(boolean added, int af, int table, int type, long dstHi, long dstLo, int prefixLength,
                   boolean hasGateway, long gatewayHi, long gatewayLo, int oif, long metric);

        /**
         * A neighbour added or changed ({@code RTM_NEWNEIGH}) or removed ({@code RTM_DELNEIGH}).
         *
         * @param mac the link-layer address (6 bytes, high byte first in the low 48 bits), -1 when absent
         * @param state ndm_state (NUD_* bits)
         */
        void neighbour(boolean added, int ifindex, int af, long hi, long lo, long mac, int state);

        /** The end of a dump ({@code NLMSG_DONE}) answering request {@code seq}. */
        void done(int seq);

        /** An error answer to request {@code seq} (errno positive). */
        void failed(int seq, int errno);

        /** A message that does not hold together: what was wrong. */
        void malformed(String problem);
    }

    /**
     * Decodes the messages in the first {@code length} bytes of {@code buf}.
     *
     * @return messages decoded (up to a malformed one)
     */
    public static int parse(MemorySegment buf, int length, Listener l) {
        int off = 0;
        int count = 0;
        while (length - off >= NLMSG_HDRLEN) {
            int len = buf.get(JAVA_INT_UNALIGNED, off);
            int type = u16(buf, off + 4);
            int seq = buf.get(JAVA_INT_UNALIGNED, off + 8);
            if (len < NLMSG_HDRLEN || len > length - off) {
                l.malformed("netlink message of type " + type + " at byte " + off + " says it is " + len
                    + " bytes long, " + (length - off) + " left in the datagram");
                return count;
            }
            String problem = message(buf, off, len, type, seq, l);
            if (problem != null) {
                l.malformed("netlink message of type " + type + " at byte " + off + ": " + problem);
                return count;
            }
            count++;
            off += align(len);
        }
        if (off < length) {
            l.malformed((length - off) + " bytes after the last netlink message, too few for a header");
        }
        return count;
    }

    /** One message; null when it was decoded, else what is wrong (the listener heard nothing of it). */
    private static String message(MemorySegment buf, int off, int len, int type, int seq, Listener l) {
        int body = off + NLMSG_HDRLEN;
        int end = off + len;
        return switch (type) {
            case NLMSG_DONE -> {
                l.done(seq);
                yield null;
            }
            case NLMSG_ERROR -> {
                if (end - body < 4) {
                    yield "error message without its errno";
                }
                int err = buf.get(JAVA_INT_UNALIGNED, body);
                if (err != 0) {
                    l.failed(seq, -err);
                }
                yield null;
            }
            case RTM_NEWROUTE, RTM_DELROUTE -> route(buf, body, end, type == RTM_NEWROUTE, l);
            case RTM_NEWNEIGH, RTM_DELNEIGH -> neighbour(buf, body, end, type == RTM_NEWNEIGH, l);
            default -> null; // NOOP, OVERRUN and messages of other kinds carry nothing for us
        };
    }

    private static String route(MemorySegment buf, int body, int end, boolean added, Listener l) {
        if (end - body < RTMSG_LEN) {
            return "rtmsg cut short (" + (end - body) + " of " + RTMSG_LEN + " bytes)";
        }
        int af = family(buf.get(JAVA_BYTE, body) & 0xff);
        if (af < 0) {
            return null; // another family (multicast routing, MPLS): not ours
        }
        int prefix = buf.get(JAVA_BYTE, body + 1) & 0xff;
        if (prefix > (af == Af.INET ? 32 : 128)) {
            return "prefix length " + prefix;
        }
        int table = buf.get(JAVA_BYTE, body + 4) & 0xff;
        int type = buf.get(JAVA_BYTE, body + 7) & 0xff;
        long dstHi = 0;
        long dstLo = 0;
        long gwHi = 0;
        long gwLo = 0;
        boolean gateway = false;
        int oif = 0;
        long metric = 0;
        int addrLen = af == Af.INET ? 4 : 16;
        for (int a = body + RTMSG_LEN; a < end; ) {
            if (end - a < 4) {
                return "attribute header cut short";
            }
            int alen = u16(buf, a);
            int atype = u16(buf, a + 2) & 0x3fff; // without NLA_F_NESTED / NLA_F_NET_BYTEORDER
            if (alen < 4 || alen > end - a) {
                return "attribute " + atype + " of " + alen + " bytes, " + (end - a) + " left";
            }
            int v = a + 4;
            int vlen = alen - 4;
            switch (atype) {
                case RTA_DST, RTA_GATEWAY -> {
                    if (vlen != addrLen) {
                        return (atype == RTA_DST ? "RTA_DST" : "RTA_GATEWAY") + " of " + vlen + " bytes";
                    }
                    long hi = af == Af.INET ? 0 : be64(buf, v);
                    long lo = af == Af.INET ? be32(buf, v) : be64(buf, v + 8);
                    if (atype == RTA_DST) {
                        dstHi = hi;
                        dstLo = lo;
                    } else {
                        gwHi = hi;
                        gwLo = lo;
                        gateway = true;
                    }
                }
                case RTA_OIF, RTA_PRIORITY, RTA_TABLE -> {
                    if (vlen != 4) {
                        return "attribute " + atype + " of " + vlen + " bytes";
                    }
                    int value = buf.get(JAVA_INT_UNALIGNED, v);
                    if (atype == RTA_OIF) {
                        oif = value;
                    } else if (atype == RTA_PRIORITY) {
                        metric = value & 0xffff_ffffL;
                    } else {
                        table = value;
                    }
                }
                default -> { }
            }
            a += align(alen);
        }
        l.route(added, af, table, type, dstHi, dstLo, prefix, gateway, gwHi, gwLo, oif, metric);
        return null;
    }

    private static String neighbour(MemorySegment buf, int body, int end, boolean added, Listener l) {
        if (end - body < NDMSG_LEN) {
            return "ndmsg cut short (" + (end - body) + " of " + NDMSG_LEN + " bytes)";
        }
        int af = family(buf.get(JAVA_BYTE, body) & 0xff);
        if (af < 0) {
            return null; // bridge FDB entries and the like
        }
        int ifindex = buf.get(JAVA_INT_UNALIGNED, body + 4);
        int state = u16(buf, body + 8);
        long hi = 0;
        long lo = 0;
        boolean dst = false;
        long mac = -1;
        for (int a = body + NDMSG_LEN; a < end; ) {
            if (end - a < 4) {
                return "attribute header cut short";
            }
            int alen = u16(buf, a);
            int atype = u16(buf, a + 2) & 0x3fff;
            if (alen < 4 || alen > end - a) {
                return "attribute " + atype + " of " + alen + " bytes, " + (end - a) + " left";
            }
            int v = a + 4;
            int vlen = alen - 4;
            if (atype == NDA_DST) {
                if (vlen != (af == Af.INET ? 4 : 16)) {
                    return "NDA_DST of " + vlen + " bytes";
                }
                hi = af == Af.INET ? 0 : be64(buf, v);
                lo = af == Af.INET ? be32(buf, v) : be64(buf, v + 8);
                dst = true;
            } else if (atype == NDA_LLADDR && vlen == 6) {
                mac = be32(buf, v) << 16 | u16be(buf, v + 4);
            }
            a += align(alen);
        }
        if (!dst) {
            return "neighbour without NDA_DST";
        }
        l.neighbour(added, ifindex, af, hi, lo, mac, state);
        return null;
    }

    /** UVS's family for a Linux one, -1 for others. */
    private static int family(int linux) {
        return linux == LINUX_AF_INET ? Af.INET : linux == LINUX_AF_INET6 ? Af.INET6 : -1;
    }

    /** Linux's family number for UVS's. */
    public static int linuxFamily(int af) {
        return af == Af.INET ? LINUX_AF_INET : LINUX_AF_INET6;
    }

    /** Netlink messages and attributes start on 4-byte boundaries. */
    public static int align(int len) {
        return (len + 3) & ~3;
    }

    private static int u16(MemorySegment b, int off) {
        return b.get(JAVA_SHORT_UNALIGNED, off) & 0xffff;
    }

    private static long u16be(MemorySegment b, int off) {
        return Short.reverseBytes(b.get(JAVA_SHORT_UNALIGNED, off)) & 0xffffL;
    }

    private static long be32(MemorySegment b, int off) {
        return Integer.reverseBytes(b.get(JAVA_INT_UNALIGNED, off)) & 0xffff_ffffL;
    }

    private static long be64(MemorySegment b, int off) {
        return Long.reverseBytes(b.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, off));
    }
}
