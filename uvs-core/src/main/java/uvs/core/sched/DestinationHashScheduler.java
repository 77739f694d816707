package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * dh: a 256-bucket table filled with the dests in list order, one bucket each, circularly (weights
 * ignored; rebuilt on add and delete, not on edit: here once, before the next pick after a change). The packet's destination address picks the bucket
 * ({@code hash_32(daddr_fold, 8)}); its dest is used only if AVAILABLE, weight &gt; 0 and not OVERLOADed.
 */
public final class DestinationHashScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "dh";
    /** Table bits (CONFIG_IP_VS_DH_TAB_BITS default). */
    public static final int TAB_BITS = 8;
    /** Number of buckets. */
    public static final int TAB_SIZE = 1 << TAB_BITS;

    private final RealServer[] buckets = new RealServer[TAB_SIZE];
    private final VirtualService owner;
    /** The list changed since the table was built: it is rebuilt once, before the next pick. */
    private boolean stale;

    /** A scheduler with its table filled from {@code svc}'s current list. */
    public DestinationHashScheduler(VirtualService svc) {
        this.owner = svc;
        reassign(svc.dests());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onDestAdded(VirtualService svc, RealServer dest) {
        stale = true;
    }

    @Override
    public void onDestRemoved(VirtualService svc, RealServer dest, int formerIndex) {
        stale = true;
    }

    private void reassign(RealServer[] dests) {
        int n = dests.length;
        for (int i = 0; i < TAB_SIZE; i++) {
            buckets[i] = n == 0 ? null : dests[i % n];
        }
    }

    @Override
    public void settle(VirtualService svc) {
        rebuildIfStale();
    }

    /** Builds the table now if the list changed since it was last built. */
    void rebuildIfStale() {
        if (stale) {
            reassign(owner.dests());
            stale = false;
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
