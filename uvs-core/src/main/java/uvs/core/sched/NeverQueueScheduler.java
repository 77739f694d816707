package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * nq: the first idle dest (no active connections) if there is one, else the sed choice
 * ({@code activeconns + 1} weighted); OVERLOADed and weight-0 dests are skipped.
 */
public final class NeverQueueScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "nq";

    /** A stateless scheduler. */
    public NeverQueueScheduler() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        RealServer[] dests = svc.dests();
        RealServer least = null;
        int loh = 0;
        for (int i = 0; i < dests.length; i++) {
            RealServer d = dests[i];
            if (d.isOverloaded() || d.weight() == 0) {
                continue;
            }
            if (d.activeConns() == 0) {
                return d;
            }
            int doh = d.activeConns() + 1;
            if (least == null || (long) loh * d.weight() > (long) doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
