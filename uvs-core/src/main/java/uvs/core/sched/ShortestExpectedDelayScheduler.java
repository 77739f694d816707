package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * sed: like wlc, but the overhead is {@code activeconns + 1} (inactive connections are ignored).
 */
public final class ShortestExpectedDelayScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "sed";

    /** A stateless scheduler. */
    public ShortestExpectedDelayScheduler() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        RealServer[] dests = svc.dests();
        int n = dests.length;
        int i = 0;
        RealServer least = null;
        for (; i < n; i++) {
            RealServer d = dests[i];
            if (!d.isOverloaded() && d.weight() > 0) {
                least = d;
                break;
            }
        }
        if (least == null) {
            return null;
        }
        int loh = least.activeConns() + 1;
        for (i++; i < n; i++) {
            RealServer d = dests[i];
            if (d.isOverloaded()) {
                continue;
            }
            int doh = d.activeConns() + 1;
            if ((long) loh * d.weight() > (long) doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
