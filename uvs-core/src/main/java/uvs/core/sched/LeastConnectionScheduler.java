package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * lc: the non-OVERLOADed dest with weight ≠ 0 and the smallest overhead
 * ({@code activeconns * 256 + inactconns}, compared unsigned as the kernel does); ties keep the earlier.
 */
public final class LeastConnectionScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "lc";

    /** A stateless scheduler. */
    public LeastConnectionScheduler() {
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
            int doh = d.overhead();
            if (least == null || Integer.compareUnsigned(doh, loh) < 0) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
