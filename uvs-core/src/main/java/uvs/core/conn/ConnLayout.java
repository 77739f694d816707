package uvs.core.conn;

import uvs.core.net.Af;

/**
 * Where each field of a connection entry lives in its table's slab (one fixed row of ints per entry), and how
 * the packed fields are packed: the descriptor that {@link ConnTable}, {@link ConnHashIndex} and
 * {@link ConnTimerWheel} share. The key words come first so that a chain walk reads as little as possible.
 */
final class ConnLayout {
    static final int LOW24 = 0xFF_FFFF;
    static final long U32 = 0xFFFF_FFFFL;

    // the head of an entry
    static final int LINK = 0;          // protocol << 24 | (hash chain next + 1)
    static final int PORTS = 1;         // cport << 16 | vport
    static final int FLAGS = 2;         // dport << 16 | packed flags (see packFlags)
    static final int CADDR = 3;         // then vaddr and daddr, 1 or 4 ints each
    // offsets from the end of the addresses ("tail")
    static final int DEST = 0;          // state << 24 | (destId + 1)
    static final int WHEEL = 1;         // oldState << 24 | (wheel next + 1)
    static final int PREV = 2;          // wheel predecessor + 1, -(slot + 1) at a slot head, FREE, DETACHED
    static final int CONTROL = 3;       // controller id, n_control of a template, free-list next + 1
    static final int FWMARK = 4;
    static final int TIMEOUT = 5;
    static final int EXPIRES = 6;
    static final int IN_PKTS = 7;
    static final int SYNC_ENDTIME = 8;
    static final int TAIL_INTS = 9;

    // PREV values that are not links; the zeroed slab makes never-used entries free
    static final int FREE = 0;
    static final int DETACHED = Integer.MIN_VALUE;

    // flag bits an entry can hold: 0..14 and NFCT, packed into 16 bits with NFCT moved to the unused bit 15
    static final int FLAG_BITS = 0x1_7FFF;
    static final int PACKED_TEMPLATE = ConnFlags.TEMPLATE;
    static final int PACKED_NO_CPORT = ConnFlags.NO_CPORT;
    static final int PACKED_HASHED = ConnFlags.HASHED;

    /** Ints per address: 1 (IPv4) or 4 (IPv6). */
    final int aw;
    /** Offset of the words after the three addresses. */
    final int tail;
    /** Ints per entry. */
    final int stride;

    ConnLayout(int af) {
        this.aw = af == Af.INET ? 1 : 4;
        this.tail = CADDR + 3 * aw;
        this.stride = tail + TAIL_INTS;
    }

    static int packFlags(int flags) {
        return (flags & 0x7FFF) | ((flags >>> 1) & 0x8000);
    }

    static int unpackFlags(int word) {
        return (word & 0x7FFF) | ((word & 0x8000) << 1);
    }

    /** Whether the address at {@code off} of {@code slab} is {@code hi:lo}. */
    boolean addressEquals(int[] slab, int off, long hi, long lo) {
        if (aw == 1) {
            return slab[off] == (int) lo;
        }
        return slab[off + 3] == (int) lo && slab[off + 2] == (int) (lo >>> 32)
            && slab[off + 1] == (int) hi && slab[off] == (int) (hi >>> 32);
    }

    void putAddress(int[] slab, int off, long hi, long lo) {
        if (aw == 1) {
            slab[off] = (int) lo;
        } else {
            slab[off] = (int) (hi >>> 32);
            slab[off + 1] = (int) hi;
            slab[off + 2] = (int) (lo >>> 32);
            slab[off + 3] = (int) lo;
        }
    }

    long addressHi(int[] slab, int off) {
        return aw == 1 ? 0 : (long) slab[off] << 32 | (slab[off + 1] & U32);
    }

    long addressLo(int[] slab, int off) {
        return aw == 1 ? slab[off] & U32 : (long) slab[off + 2] << 32 | (slab[off + 3] & U32);
    }
}
