package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * dh: a 256-bucket table filled with the dests in list order, one bucket each, circularly (weights ignored;
 * filled again after adds and deletes, not edits, as {@link HashTableScheduler} says). The packet's
 * destination address picks the bucket ({@code hash_32(daddr_fold, 8)}); its dest is used only if AVAILABLE,
 * weight &gt; 0 and not OVERLOADed.
 */
public final class DestinationHashScheduler extends HashTableScheduler {
    /** ipvsadm name. */
    public static final String NAME = "dh";
    /** Table bits (CONFIG_IP_VS_DH_TAB_BITS default). */
    public static final int TAB_BITS = 8;
    /** Number of buckets. */
    public static final int TAB_SIZE = 1 << TAB_BITS;

    private final RealServer[] buckets = new RealServer[TAB_SIZE];

    /** A scheduler with its table filled from {@code svc}'s current list. */
    public DestinationHashScheduler(VirtualService svc) {
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
    void reassign(RealServer[] dests) {
        int n = dests.length;
        for (int i = 0; i < TAB_SIZE; i++) {
            buckets[i] = n == 0 ? null : dests[i % n];
        }
    }

    /** The dest in {@code bucket} (null if the list was empty), for tests and diagnostics. */
    RealServer bucket(int bucket) {
        rebuildIfStale();
        return buckets[bucket];
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        rebuildIfStale();
        RealServer d = buckets[HashFunctions.hash32(HashFunctions.destinationFold(pkt), TAB_BITS)];
        if (d == null || !d.isAvailable() || d.weight() <= 0 || d.isOverloaded()) {
            return null;
        }
        return d;
    }
}
