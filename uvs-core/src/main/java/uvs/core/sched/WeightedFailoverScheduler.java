package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/** fo: the non-OVERLOADed dest with the highest weight (&gt; 0); ties keep the earlier dest. */
public final class WeightedFailoverScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "fo";

    /** A stateless scheduler. */
    public WeightedFailoverScheduler() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        RealServer[] dests = svc.dests();
        RealServer best = null;
        int hw = 0;
        for (int i = 0; i < dests.length; i++) {
            RealServer d = dests[i];
            if (!d.isOverloaded() && d.weight() > hw) {
                best = d;
                hw = d.weight();
            }
        }
        return best;
    }
}
