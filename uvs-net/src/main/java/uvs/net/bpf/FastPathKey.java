package uvs.net.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import uvs.core.net.Af;
import uvs.core.net.IpProto;

/**
 * The key of one fast-path flow direction as its packets arrive: addresses and ports as on the wire, the IP
 * protocol, the family. Mutable so that a caller reuses one instance (no allocation per call). Layout
 * ({@link #SIZE} bytes, what {@link XdpFastPath} builds from a packet): source address (16 bytes, network order,
 * IPv4 in the first 4 and the rest zero), destination address (16), source port (2, network order),
 * destination port (2), protocol (1), family (1: 4 or 6), 2 zero bytes.
 */
public final class FastPathKey {
    /** Bytes of a key. */
    public static final int SIZE = 40;
    static final int SRC = 0;
    static final int DST = 16;
    static final int SPORT = 32;
    static final int DPORT = 34;
    static final int PROTO = 36;
    static final int FAMILY = 37;

    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    int af;
    int protocol;
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    int srcPort;
    int dstPort;

    /**
     * Sets the key (addresses as the engine holds them: IPv4 in the low 32 bits of {@code lo}).
     *
     * @throws IllegalArgumentException for a family other than INET/INET6, a protocol other than TCP/UDP or a port
     *     out of range
     */
    public FastPathKey set(int af, int protocol, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo,
                           int dstPort) {
        if (af != Af.INET && af != Af.INET6) {
            throw new IllegalArgumentException("fast-path flow of address family " + af);
        }
        if (protocol != IpProto.TCP && protocol != IpProto.UDP) {
            throw new IllegalArgumentException("fast-path flow of IP protocol " + protocol + " (TCP and UDP only)");
        }
        if ((srcPort & ~0xffff) != 0 || (dstPort & ~0xffff) != 0) {
            throw new IllegalArgumentException("fast-path flow port out of range: " + srcPort + ", " + dstPort);
        }
        this.af = af;
        this.protocol = protocol;
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.srcPort = srcPort;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        this.dstPort = dstPort;
        return this;
    }

    /** Copies {@code other}. */
    public FastPathKey set(FastPathKey other) {
        return set(other.af, other.protocol, other.srcHi, other.srcLo, other.srcPort, other.dstHi, other.dstLo,
            other.dstPort);
    }

    /** Address family ({@link Af}). */
    public int af() {
        return af;
    }

    /** IP protocol. */
    public int protocol() {
        return protocol;
    }

    /** Writes the key into {@code seg}, a segment of {@link #SIZE} bytes. */
    void write(MemorySegment seg) {
        seg.fill((byte) 0);
        writeAddress(seg, SRC, af, srcHi, srcLo);
        writeAddress(seg, DST, af, dstHi, dstLo);
        seg.set(BE16, SPORT, (short) srcPort);
        seg.set(BE16, DPORT, (short) dstPort);
        seg.set(ValueLayout.JAVA_BYTE, PROTO, (byte) protocol);
        seg.set(ValueLayout.JAVA_BYTE, FAMILY, (byte) (af == Af.INET ? 4 : 6));
    }

    /** An address in network order at {@code off}: 4 bytes for IPv4, 16 for IPv6. */
    static void writeAddress(MemorySegment seg, long off, int af, long hi, long lo) {
        if (af == Af.INET) {
            seg.set(BE32, off, (int) lo);
        } else {
            seg.set(BE64, off, hi);
            seg.set(BE64, off + 8, lo);
        }
    }

    @Override
    public String toString() {
        return IpProto.name(protocol) + " " + (af == Af.INET ? "v4" : "v6") + " " + Long.toHexString(srcHi) + ":"
            + Long.toHexString(srcLo) + "." + srcPort + " > " + Long.toHexString(dstHi) + ":"
            + Long.toHexString(dstLo) + "." + dstPort;
    }
}
