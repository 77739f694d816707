package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * rr: walks the list circularly from the dest after the one chosen last and takes the first one with
 * weight &gt; 0 that is not OVERLOADed.
 */
public final class RoundRobinScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "rr";

    /** Position of the list head: the walk starts at the first dest and makes one pass only. */
    private static final int HEAD = -1;

    /** Index of the last chosen dest, or HEAD; kept on the same node as the list changes. */
    private int last = HEAD;

    /** A scheduler whose walk starts at the list head. */
    public RoundRobinScheduler() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onDestAdded(VirtualService svc, RealServer dest) {
        if (last != HEAD) {
            last++;
        }
    }

    /** Like the kernel's {@code del_dest}: if the remembered dest goes, remember its predecessor instead. */
    @Override
    public void onDestRemoved(VirtualService svc, RealServer dest, int formerIndex) {
        if (last >= formerIndex) {
            last--;
        }
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        RealServer[] dests = svc.dests();
        int n = dests.length;
        // From a dest: the ones after it, then from the start up to and including it; from HEAD: one pass.
        for (int k = 0, i = last + 1; k < n; k++, i++) {
            if (i >= n) {
                i = 0;
            }
            RealServer d = dests[i];
            if (!d.isOverloaded() && d.weight() > 0) {
                last = i;
                return d;
            }
        }
        return null;
    }
}
