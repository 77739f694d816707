package uvs.net.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import uvs.core.net.Af;

/**
 * One fast-path flow direction to install: its {@link FastPathKey} and what {@link XdpFastPath} does to its packets.
 * Mutable and reusable (no allocation per install). The map value ({@link #VALUE_SIZE} bytes, host order unless
 * said otherwise):
 * <pre>
 *  0 packets (u64, atomic add)      8 bytes of IP packets (u64, atomic add)   16 last seen (u64, bpf_ktime_get_ns)
 * 24 action (u8: 1 DR, 2 NAT)      28 egress ifindex (u32, 0: XDP_TX out of the receiving device)
 * 32 destination MAC (6)           38 source MAC (6)
 * 44 IPv4 header checksum delta (u16, network order; TTL decrement and address change)
 * 46 TCP/UDP checksum delta (u16, network order; NAT only)
 * 48 new source address (16, network order)   64 new destination address (16)
 * 80 new source port (u16, network order)     82 new destination port (u16, network order)   84 zero (4)
 * </pre>
 */
public final class FastPathEntry {
    /** Bytes of a value. */
    public static final int VALUE_SIZE = 88;
    /** Direct routing: new MACs, TTL − 1. */
    public static final int DR = 1;
    /** Masquerading: new MACs, TTL − 1, new addresses and ports. */
    public static final int NAT = 2;

    static final int PACKETS = 0;
    static final int BYTES = 8;
    static final int LAST_SEEN = 16;
    static final int ACTION = 24;
    static final int IFINDEX = 28;
    static final int DST_MAC = 32;
    static final int SRC_MAC = 38;
    static final int IP_DELTA = 44;
    static final int L4_DELTA = 46;
    static final int NEW_SRC = 48;
    static final int NEW_DST = 64;
    static final int NEW_SPORT = 80;
    static final int NEW_DPORT = 82;

    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final FastPathKey key = new FastPathKey();
    private int action;
    private int ifindex;
    private long dstMac;
    private long srcMac;
    private long newSrcHi;
    private long newSrcLo;
    private long newDstHi;
    private long newDstLo;
    private int newSport;
    private int newDport;

    /** The key; set it with {@link FastPathKey#set}. */
    public FastPathKey key() {
        return key;
    }

    /**
     * Direct routing for the key's packets (set the key first: its addresses stay): Ethernet destination
     * {@code dstMac} (the real server), source {@code srcMac}, out of {@code ifindex} (0: the receiving device).
     */
    public FastPathEntry directRoute(long dstMac, long srcMac, int ifindex) {
        return nat(dstMac, srcMac, ifindex, key.srcHi, key.srcLo, key.srcPort, key.dstHi, key.dstLo, key.dstPort, DR);
    }

    /**
     * NAT for the key's packets: source becomes {@code newSrc}:{@code newSport}, destination
     * {@code newDst}:{@code newDport} (inbound: the real server as destination; replies: the virtual service as
     * source; the unchanged side as in the key), MACs and device as for {@link #directRoute}.
     */
    public FastPathEntry nat(long dstMac, long srcMac, int ifindex, long newSrcHi, long newSrcLo, int newSport,
                             long newDstHi, long newDstLo, int newDport) {
        return nat(dstMac, srcMac, ifindex, newSrcHi, newSrcLo, newSport, newDstHi, newDstLo, newDport, NAT);
    }

    private FastPathEntry nat(long dstMac, long srcMac, int ifindex, long newSrcHi, long newSrcLo, int newSport,
                              long newDstHi, long newDstLo, int newDport, int action) {
        if (ifindex < 0 || (newSport & ~0xffff) != 0 || (newDport & ~0xffff) != 0) {
            throw new IllegalArgumentException("bad fast-path entry: ifindex " + ifindex + ", ports " + newSport + ", "
                + newDport);
        }
        this.action = action;
        this.dstMac = dstMac;
        this.srcMac = srcMac;
        this.ifindex = ifindex;
        this.newSrcHi = newSrcHi;
        this.newSrcLo = newSrcLo;
        this.newSport = newSport;
        this.newDstHi = newDstHi;
        this.newDstLo = newDstLo;
        this.newDport = newDport;
        return this;
    }

    /** {@link #DR} or {@link #NAT}. */
    public int action() {
        return action;
    }

    /** Writes the value (counters zero) into {@code seg}, a segment of {@link #VALUE_SIZE} bytes. */
    void writeValue(MemorySegment seg) {
        seg.fill((byte) 0);
        seg.set(ValueLayout.JAVA_BYTE, ACTION, (byte) action);
        seg.set(ValueLayout.JAVA_INT, IFINDEX, ifindex);
        writeMac(seg, DST_MAC, dstMac);
        writeMac(seg, SRC_MAC, srcMac);
        int af = key.af;
        int ip = af == Af.INET
            ? FastPathChecksums.ipv4(key.srcLo, key.dstLo, newSrcLo, newDstLo)
            : 0;
        seg.set(BE16, IP_DELTA, (short) ip);
        if (action == NAT) {
            int l4 = FastPathChecksums.l4(af, key.srcHi, key.srcLo, key.dstHi, key.dstLo, key.srcPort, key.dstPort,
                newSrcHi, newSrcLo, newDstHi, newDstLo, newSport, newDport);
            seg.set(BE16, L4_DELTA, (short) l4);
            FastPathKey.writeAddress(seg, NEW_SRC, af, newSrcHi, newSrcLo);
            FastPathKey.writeAddress(seg, NEW_DST, af, newDstHi, newDstLo);
            seg.set(BE16, NEW_SPORT, (short) newSport);
            seg.set(BE16, NEW_DPORT, (short) newDport);
        }
    }

    private static void writeMac(MemorySegment seg, long off, long mac) {
        for (int i = 0; i < 6; i++) {
            seg.set(ValueLayout.JAVA_BYTE, off + i, (byte) (mac >>> (40 - 8 * i)));
        }
    }
}
