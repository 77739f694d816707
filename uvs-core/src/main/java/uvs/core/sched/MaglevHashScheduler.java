package uvs.core.sched;

import java.util.Arrays;
import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.VirtualService;

/**
 * mh (Maglev hashing): a lookup table of prime size M (default 4093). Each dest has a permutation of
 * the slots, {@code offset, offset + skip, offset + 2·skip …} (mod M) derived from its address and port;
 * rounds over the list in order let each dest take its next free preferred slot {@code turns} times
 * (its last_weight scaled down by the gcd and a shift) until every slot is taken; filled again after adds,
 * deletes and edits as {@link HashTableScheduler} says. Because last_weight is used, a weight set to 0 keeps its slots.
 * A client maps to slot {@code hsiphash(hash1, port + saddr_fold) mod M}; a dest with weight ≤ 0 or
 * OVERLOAD gives no dest unless mh-fallback ({@link ServiceFlags#SCHED1}) searches further;
 * mh-port ({@link ServiceFlags#SCHED2}) adds the source port.
 */
public final class MaglevHashScheduler extends HashTableScheduler {
    /** ipvsadm name. */
    public static final String NAME = "mh";
    /** Kconfig default table size (CONFIG_IP_VS_MH_TAB_INDEX 12). */
    public static final int DEFAULT_TABLE_SIZE = 4093;

    /** Table sizes for CONFIG_IP_VS_MH_TAB_INDEX 8..17. */
    private static final int[] PRIMES = {251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071};
    private static final int FIRST_TAB_INDEX = 8;

    /** hsiphash key of the slot hash (both key words equal, fixed). */
    static final long HASH1_KEY = 2654435761L;
    /** hsiphash key of the skip hash. */
    static final long HASH2_KEY = 2654446892L;

    private final int size;
    /** IP_VS_MH_TAB_BITS: the number of weight bits kept when scaling turns. */
    private final int tabBits;
    private final RealServer[] lookup;

    /** A scheduler with the default table size, filled from {@code svc}'s current list. */
    public MaglevHashScheduler(VirtualService svc) {
        this(svc, DEFAULT_TABLE_SIZE);
    }

    /**
     * A scheduler with table size {@code tableSize}, filled from {@code svc}'s current list.
     *
     * @param tableSize one of 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071
     */
    public MaglevHashScheduler(VirtualService svc, int tableSize) {
        super(svc);
        int index = Arrays.binarySearch(PRIMES, tableSize);
        if (index < 0) {
            throw new IllegalArgumentException(
                "mh table size must be one of " + Arrays.toString(PRIMES) + ", got " + tableSize);
        }
        this.size = tableSize;
        this.tabBits = (index + FIRST_TAB_INDEX) / 2;
        this.lookup = new RealServer[tableSize];
        reassign(svc.dests());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Table size M. */
    public int tableSize() {
        return size;
    }

    @Override
    public void onDestAdded(VirtualService svc, RealServer dest) {
        if (svc.destCount() <= size) {
            markStale();
        } else if (isStale()) {
            // the kernel keeps the table of the last list that fitted: the one before this add (at the head)
            RealServer[] all = svc.dests();
            fillNow(Arrays.copyOfRange(all, 1, all.length));
        }
    }

    @Override
    public void onDestRemoved(VirtualService svc, RealServer dest, int formerIndex) {
        changed(svc);
    }

    @Override
    public void onDestUpdated(VirtualService svc, RealServer dest) {
        changed(svc);
    }

    // a list longer than the table is refused by the kernel's rebuild: the table stays as it was
    private void changed(VirtualService svc) {
        if (svc.destCount() <= size) {
            markStale();
        }
    }

    /** The dest in {@code slot} (null if empty), for tests and diagnostics. */
    RealServer slot(int slot) {
        rebuildIfStale();
        return lookup[slot];
    }

    /** {@code hsiphash(key, offset + port + addr)}: all 32-bit wrap-around adds. */
    static int hashKey(long key, int addrFold, int port, int offset) {
        return SipHash.hsiphash(key, key, offset + port + addrFold);
    }

    @Override
    void reassign(RealServer[] dests) {
        int n = dests.length;
        if (n > size) {
            // the kernel refuses (EINVAL, ignored by its caller) and keeps the table it had
            return;
        }
        int g = 0;
        int maxWeight = 0;
        for (RealServer d : dests) {
            int lw = d.lastWeight();
            if (lw > 0) {
                g = g > 0 ? HashFunctions.gcd(lw, g) : lw;
            }
            if (lw > maxWeight) {
                maxWeight = lw;
            }
        }
        if (g < 1) {
            Arrays.fill(lookup, null);
            return;
        }
        // keep at most tabBits significant bits of weight/gcd so that huge weights do not need huge rounds
        int shift = Math.max(0, (Integer.SIZE - Integer.numberOfLeadingZeros(maxWeight / g)) - tabBits);
        int[] skip = new int[n];
        int[] perm = new int[n];
        int[] turns = new int[n];
        for (int j = 0; j < n; j++) {
            RealServer d = dests[j];
            perm[j] = Integer.remainderUnsigned(hashKey(HASH1_KEY, d.addrFold(), d.port(), 0), size);
            skip[j] = Integer.remainderUnsigned(hashKey(HASH2_KEY, d.addrFold(), d.port(), 0), size - 1) + 1;
            int lw = d.lastWeight();
            int t = (lw / g) >> shift;
            turns[j] = t != 0 ? t : (lw != 0 ? 1 : 0);
        }
        populate(dests, skip, perm, turns);
    }

    private void populate(RealServer[] dests, int[] skip, int[] perm, int[] turns) {
        boolean[] taken = new boolean[size];
        int filled = 0;
        int dtCount = 0;
        while (true) {
            for (int j = 0; j < dests.length; ) {
                if (turns[j] < 1) {
                    j++;
                    continue;
                }
                int c = perm[j];
                while (taken[c]) {
                    perm[j] += skip[j];
                    if (perm[j] >= size) {
                        perm[j] -= size;
                    }
                    c = perm[j];
                }
                taken[c] = true;
                lookup[c] = dests[j];
                if (++filled == size) {
                    return;
                }
                if (++dtCount >= turns[j]) {
                    dtCount = 0;
                    j++;
                }
            }
        }
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        rebuildIfStale();
        int flags = svc.flags();
        int addr = HashFunctions.sourceFold(pkt);
        int port = (flags & ServiceFlags.SCHED2) != 0 ? HashFunctions.sourcePort(pkt) : 0;
        int ihash = Integer.remainderUnsigned(hashKey(HASH1_KEY, addr, port, 0), size);
        RealServer d = lookup[ihash];
        if (d == null || usable(d)) {
            return d;
        }
        if ((flags & ServiceFlags.SCHED1) == 0) {
            return null;
        }
        // fallback: loop around the table starting from the original slot, rehashing with the offset
        for (int k = 0; k < size; k++) {
            int roffset = (k + ihash) % size;
            d = lookup[Integer.remainderUnsigned(hashKey(HASH1_KEY, addr, port, roffset), size)];
            if (d == null) {
                return null;
            }
            if (usable(d)) {
                return d;
            }
        }
        return null;
    }

    private static boolean usable(RealServer d) {
        return d.weight() > 0 && !d.isOverloaded();
    }
}
