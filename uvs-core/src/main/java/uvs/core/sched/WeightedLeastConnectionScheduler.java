package uvs.core.sched;

import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * wlc (the default): the non-OVERLOADed dest with the least {@code overhead / weight}, compared as
 * {@code overhead(L) * weight(d) > overhead(d) * weight(L)} in 64 bits; ties keep the earlier dest.
 */
public final class WeightedLeastConnectionScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "wlc";

    /** A stateless scheduler. */
    public WeightedLeastConnectionScheduler() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        return leastLoaded(svc.dests());
    }

    /** The wlc choice over {@code dests}, also used by lblc and lblcr; null if none qualifies. */
    static RealServer leastLoaded(RealServer[] dests) {
        int n = dests.length;
        int i = 0;
        RealServer least = null;
        // the first non-OVERLOADed dest with weight > 0 starts; weight-0 dests can never win after it
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
        int loh = least.overhead();
        for (i++; i < n; i++) {
            RealServer d = dests[i];
            if (d.isOverloaded()) {
                continue;
            }
            int doh = d.overhead();
            if ((long) loh * d.weight() > (long) doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
