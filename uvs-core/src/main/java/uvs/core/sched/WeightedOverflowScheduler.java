package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * ovf: the highest-weight dest whose active connections do not exceed its weight (not OVERLOADed,
 * weight ≠ 0); ties keep the earlier dest. Traffic overflows to the next dest once one is full.
 */
public final class WeightedOverflowScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "ovf";

    /** A stateless scheduler. */
    public WeightedOverflowScheduler() {
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
            int w = d.weight();
            if (d.isOverloaded() || d.activeConns() > w || w == 0) {
                continue;
            }
            if (best == null || w > hw) {
                best = d;
                hw = w;
            }
        }
        return best;
    }
}
