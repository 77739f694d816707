package uvs.core.conn;

import static uvs.core.conn.ConnLayout.CADDR;
import static uvs.core.conn.ConnLayout.FLAGS;
import static uvs.core.conn.ConnLayout.LINK;
import static uvs.core.conn.ConnLayout.LOW24;
import static uvs.core.conn.ConnLayout.PACKED_HASHED;
import static uvs.core.conn.ConnLayout.PACKED_NO_CPORT;
import static uvs.core.conn.ConnLayout.PACKED_TEMPLATE;
import static uvs.core.conn.ConnLayout.PORTS;

/**
 * The chained hash index of a {@link ConnTable} over its slab: one int per bucket (chain head + 1), the chain
 * link in each entry's LINK word. Keyed on (protocol, client address, client port), as the kernel's
 * ip_vs_conn_tab, it serves the inbound, reply and template lookups. New and re-hashed entries go to the head
 * of their chain (the kernel's hlist_add_head order). Callers check ids and arguments.
 */
final class ConnHashIndex {
    private static final int NONE = ConnTable.NONE;

    private final ConnLayout layout;
    private final int[] slab;
    private final int stride;
    private final int aw;
    private final long seed;
    private final int bucketCount;
    // chain head + 1 per bucket, 0 = empty
    private final int[] buckets;

    ConnHashIndex(ConnLayout layout, int[] slab, int bucketCount, long seed) {
        this.layout = layout;
        this.slab = slab;
        this.stride = layout.stride;
        this.aw = layout.aw;
        this.seed = seed;
        this.bucketCount = bucketCount;
        this.buckets = new int[bucketCount];
    }

    int bucketCount() {
        return bucketCount;
    }

    /** The bucket array, for the table's memory figure. */
    int[] buckets() {
        return buckets;
    }

    boolean isHashed(int id) {
        return (slab[id * stride + FLAGS] & PACKED_HASHED) != 0;
    }

    /** Puts an entry at the head of its chain. */
    void hash(int id) {
        int b = id * stride;
        int bucket = bucketOfEntry(b);
        slab[b + LINK] = (slab[b + LINK] & ~LOW24) | buckets[bucket];
        buckets[bucket] = id + 1;
        slab[b + FLAGS] |= PACKED_HASHED;
    }

    /** Takes a hashed entry out of its chain. */
    void unhash(int id) {
        int b = id * stride;
        int bucket = bucketOfEntry(b);
        int next1 = slab[b + LINK] & LOW24;
        if (buckets[bucket] == id + 1) {
            buckets[bucket] = next1;
        } else {
            int cur = buckets[bucket] - 1;
            while (true) {
                if (cur == NONE) {
                    throw new IllegalStateException("connection " + id + " is marked hashed but not in its chain");
                }
                int cb = cur * stride;
                int after1 = slab[cb + LINK] & LOW24;
                if (after1 == id + 1) {
                    slab[cb + LINK] = (slab[cb + LINK] & ~LOW24) | next1;
                    break;
                }
                cur = after1 - 1;
            }
        }
        slab[b + LINK] &= ~LOW24;
        slab[b + FLAGS] &= ~PACKED_HASHED;
    }

    private int bucketOfEntry(int b) {
        int c = b + CADDR;
        return bucketOf(slab[b + LINK] >>> 24, layout.addressHi(slab, c), layout.addressLo(slab, c),
            slab[b + PORTS] >>> 16);
    }

    private int bucketOf(int protocol, long hi, long lo, int port) {
        int pp = protocol << 16 | port;
        // an IPv4 key fits one long (32 + 8 + 16 bits), so one round of mixing is enough
        long h = aw == 1 ? mix(seed ^ (lo << 24 | pp)) : mix(mix(mix(seed ^ hi) ^ lo) ^ pp);
        // multiply-shift range reduction: any bucket count, no modulo
        return (int) (((h >>> 32) * bucketCount) >>> 32);
    }

    // MurmurHash3's 64-bit finaliser: every input bit reaches the high half used above
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51_afd7_ed55_8ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ce_b9fe_1a85_ec53L;
        return z ^ (z >>> 33);
    }

    /** The first entry in the bucket of a client key, or NONE. */
    int bucketHead(int protocol, long cHi, long cLo, int cport) {
        return buckets[bucketOf(protocol, cHi, cLo, cport)] - 1;
    }

    /** A hashed non-template entry with this key (client port 0 matches only NO_CPORT entries), or NONE. */
    int findIn(int protocol, long cHi, long cLo, int cport, long vHi, long vLo, int vport) {
        int ports = cport << 16 | vport;
        int wantFlags = cport == 0 ? PACKED_NO_CPORT : 0;
        int vaddr = CADDR + aw;
        int id = buckets[bucketOf(protocol, cHi, cLo, cport)] - 1;
        while (id != NONE) {
            int b = id * stride;
            int link = slab[b + LINK];
            if (link >>> 24 == protocol && slab[b + PORTS] == ports
                && (slab[b + FLAGS] & (PACKED_TEMPLATE | PACKED_NO_CPORT)) == wantFlags
                && layout.addressEquals(slab, b + CADDR, cHi, cLo) && layout.addressEquals(slab, b + vaddr, vHi, vLo)) {
                return id;
            }
            id = (link & LOW24) - 1;
        }
        return NONE;
    }

    /** A hashed non-template entry whose destination is {@code rs:rsPort} and client {@code c:cport}, or NONE. */
    int findOut(int protocol, long rsHi, long rsLo, int rsPort, long cHi, long cLo, int cport) {
        int daddr = CADDR + 2 * aw;
        int id = buckets[bucketOf(protocol, cHi, cLo, cport)] - 1;
        while (id != NONE) {
            int b = id * stride;
            int link = slab[b + LINK];
            int flags = slab[b + FLAGS];
            if (link >>> 24 == protocol && slab[b + PORTS] >>> 16 == cport && flags >>> 16 == rsPort
                && (flags & PACKED_TEMPLATE) == 0
                && layout.addressEquals(slab, b + CADDR, cHi, cLo) && layout.addressEquals(slab, b + daddr, rsHi, rsLo)) {
                return id;
            }
            id = (link & LOW24) - 1;
        }
        return NONE;
    }

    /** The next hashed template with this key after {@code after} (NONE: the first), or NONE. */
    int findTemplate(int protocol, long cHi, long cLo, long vHi, long vLo, int vport, int after) {
        int vaddr = CADDR + aw;
        int id = after == NONE
            ? buckets[bucketOf(protocol, cHi, cLo, 0)] - 1
            : (slab[after * stride + LINK] & LOW24) - 1;
        while (id != NONE) {
            int b = id * stride;
            int link = slab[b + LINK];
            if (link >>> 24 == protocol && slab[b + PORTS] == vport
                && (slab[b + FLAGS] & PACKED_TEMPLATE) != 0
                && layout.addressEquals(slab, b + CADDR, cHi, cLo) && layout.addressEquals(slab, b + vaddr, vHi, vLo)) {
                return id;
            }
            id = (link & LOW24) - 1;
        }
        return NONE;
    }
}
