package uvs.core;

import uvs.core.net.Af;

/**
 * What the engine needs to know about one packet: a plain, reusable struct that the data plane (or a
 * test, or the simulator) fills from the wire and passes to {@link Engine#process}. One instance per
 * worker; never allocated per packet. IPv4 addresses live in the low 32 bits of the {@code *Lo} fields.
 */
public final class PacketHeader {
    /** Packet travels client → director (the kernel's input path). */
    public static final int DIR_INPUT = 0;
    /** Packet is a reply real server → client seen by the director (NAT only). */
    public static final int DIR_OUTPUT = 1;

    /** TCP header flag bits as on the wire. */
    public static final int TCP_FIN = 0x01;
    /** SYN. */
    public static final int TCP_SYN = 0x02;
    /** RST. */
    public static final int TCP_RST = 0x04;
    /** PSH. */
    public static final int TCP_PSH = 0x08;
    /** ACK. */
    public static final int TCP_ACK = 0x10;

    /** {@link Af#INET} or {@link Af#INET6}. */
    public int af = Af.INET;
    /** IP protocol number. */
    public int protocol;
    /** Source address, high half (IPv6 only). */
    public long srcHi;
    /** Source address, low half (IPv4 in the low 32 bits). */
    public long srcLo;
    /** Destination address, high half. */
    public long dstHi;
    /** Destination address, low half. */
    public long dstLo;
    /** Source port (host order, 0..65535). */
    public int srcPort;
    /** Destination port. */
    public int dstPort;
    /** TCP flags byte (TCP only). */
    public int tcpFlags;
    /** Type of the first SCTP chunk (SCTP only). */
    public int sctpChunkType;
    /** Type of the second SCTP chunk, or -1 when there is none (SCTP only). */
    public int sctpNextChunkType = -1;
    /** IP packet length in bytes (for byte counters). */
    public int length;
    /** {@link #DIR_INPUT} or {@link #DIR_OUTPUT}. */
    public int direction = DIR_INPUT;
    /** Firewall mark (skb mark) of the packet, 0 if none. */
    public int fwmark;
    /** L4 payload for persistence engines (e.g. SIP Call-ID), or null. */
    public byte[] payload;
    /** Offset of the L4 payload in {@link #payload}. */
    public int payloadOffset;
    /** Length of the L4 payload. */
    public int payloadLength;

    /** Resets every field to its default, for reuse. */
    public PacketHeader clear() {
        af = Af.INET;
        protocol = 0;
        srcHi = 0;
        srcLo = 0;
        dstHi = 0;
        dstLo = 0;
        srcPort = 0;
        dstPort = 0;
        tcpFlags = 0;
        sctpChunkType = 0;
        sctpNextChunkType = -1;
        length = 0;
        direction = DIR_INPUT;
        fwmark = 0;
        payload = null;
        payloadOffset = 0;
        payloadLength = 0;
        return this;
    }

    /** Fills an IPv4 header in one call (tests and the simulator). */
    public PacketHeader ipv4(int proto, int src, int sport, int dst, int dport) {
        af = Af.INET;
        protocol = proto;
        srcHi = 0;
        srcLo = src & 0xffff_ffffL;
        dstHi = 0;
        dstLo = dst & 0xffff_ffffL;
        srcPort = sport;
        dstPort = dport;
        return this;
    }

    /** Fills an IPv6 header in one call. */
    public PacketHeader ipv6(int proto, long sHi, long sLo, int sport, long dHi, long dLo, int dport) {
        af = Af.INET6;
        protocol = proto;
        srcHi = sHi;
        srcLo = sLo;
        dstHi = dHi;
        dstLo = dLo;
        srcPort = sport;
        dstPort = dport;
        return this;
    }
}
