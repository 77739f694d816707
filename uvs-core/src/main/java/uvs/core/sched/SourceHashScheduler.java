package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.VirtualService;

/**
 * sh: a 256-bucket table filled by walking the list circularly, each dest taking {@code weight}
 * consecutive buckets per round (a weight-0 dest still takes one), filled again after adds, deletes and
 * edits as {@link HashTableScheduler} says. The bucket is {@code hash_32(port + saddr_fold, 8)}, port being the source port with sh-port
 * ({@link ServiceFlags#SCHED2}) and 0 otherwise. A dest with weight ≤ 0 or OVERLOAD gives no dest, unless
 * sh-fallback ({@link ServiceFlags#SCHED1}) searches further buckets.
 */
public final class SourceHashScheduler extends HashTableScheduler {
    /** ipvsadm name. */
    public static final String NAME = "sh";
    /** Table bits (CONFIG_IP_VS_SH_TAB_BITS default). */
    public static final int TAB_BITS = 8;
    /** Number of buckets. */
    public static final int TAB_SIZE = 1 << TAB_BITS;

    private static final int TAB_MASK = TAB_SIZE - 1;

    private final RealServer[] buckets = new RealServer[TAB_SIZE];

    /** A scheduler with its table filled from {@code svc}'s current list. */
    public SourceHashScheduler(VirtualService svc) {
        super(svc);
        reassign(svc.dests());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onDestAdded(VirtualService svc, RealServer dest) {
        markStale();
    }

    @Override
    public void onDestRemoved(VirtualService svc, RealServer dest, int formerIndex) {
        markStale();
    }

    @Override
    public void onDestUpdated(VirtualService svc, RealServer dest) {
        markStale();
    }

    @Override
    void reassign(RealServer[] dests) {
        int n = dests.length;
        int p = 0;
        int count = 0;
        for (int i = 0; i < TAB_SIZE; i++) {
            if (n == 0) {
                buckets[i] = null;
                continue;
            }
            RealServer d = dests[p];
            buckets[i] = d;
            if (++count >= d.weight()) {
                p = p + 1 == n ? 0 : p + 1;
                count = 0;
            }
        }
    }

    /** The dest in {@code bucket} (null if the list was empty), for tests and diagnostics. */
    RealServer bucket(int bucket) {
        rebuildIfStale();
        return buckets[bucket];
    }

    /** {@code (offset + hash_32(port + addr, 8)) & 255}, 32-bit wrap-around adds. */
    static int hashKey(int addrFold, int port, int offset) {
        return (offset + HashFunctions.hash32(port + addrFold, TAB_BITS)) & TAB_MASK;
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        rebuildIfStale();
        int flags = svc.flags();
        int addr = HashFunctions.sourceFold(pkt);
        int port = (flags & ServiceFlags.SCHED2) != 0 ? HashFunctions.sourcePort(pkt) : 0;
        int ihash = hashKey(addr, port, 0);
        RealServer d = buckets[ihash];
        if (d == null || usable(d)) {
            return d;
        }
        if ((flags & ServiceFlags.SCHED1) == 0) {
            return null;
        }
        // fallback: start from the original hash (deterministic) and rehash with growing offsets
        for (int k = 0; k < TAB_SIZE; k++) {
            int roffset = (k + ihash) & TAB_MASK;
            d = buckets[hashKey(addr, port, roffset)];
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
