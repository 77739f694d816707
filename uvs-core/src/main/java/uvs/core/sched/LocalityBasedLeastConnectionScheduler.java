package uvs.core.sched;

import java.util.Objects;
import uvs.core.PacketHeader;
import uvs.core.net.Af;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * lblc: remembers which dest each destination address (e.g. a cache's origin) was sent to and keeps
 * sending it there while that dest is AVAILABLE, has weight &gt; 0 and is not "overloaded" (more active
 * connections than its weight while some dest is below half of its own); the OVERLOAD flag is not
 * checked for a cached dest. Otherwise the wlc choice replaces the cache entry.
 */
public final class LocalityBasedLeastConnectionScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "lblc";

    private final SchedulerContext ctx;
    private final LocalityTable<RealServer> table;

    /** A scheduler with an empty cache, its first garbage collection due 60 s from now. */
    public LocalityBasedLeastConnectionScheduler(SchedulerContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.table = new LocalityTable<>(ctx.nowJiffies());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Number of cache entries. */
    public int cacheEntries() {
        return table.entries();
    }

    @Override
    public void onTick(VirtualService svc, int now) {
        table.tick(now, ctx.lblcExpirationJiffies());
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        int now = ctx.nowJiffies();
        boolean v6 = pkt.af == Af.INET6;
        long hi = v6 ? pkt.dstHi : 0;
        long lo = v6 ? pkt.dstLo : pkt.dstLo & 0xffff_ffffL;
        int hash = LocalityTable.hashKey(HashFunctions.destinationFold(pkt));
        int e = table.find(hash, hi, lo);
        if (e >= 0) {
            table.touch(e, now);
            RealServer d = table.value(e);
            if (d.isAvailable() && d.weight() > 0 && !isOverloaded(d, svc.dests())) {
                return d;
            }
        }
        RealServer d = WeightedLeastConnectionScheduler.leastLoaded(svc.dests());
        if (d == null) {
            return null;
        }
        if (e < 0) {
            table.add(hash, hi, lo, d, now);
        } else {
            table.value(e, d);
        }
        return d;
    }

    /**
     * The lblc/lblcr notion of overloaded: more active connections than its weight while some dest of
     * the service has fewer than half of its own weight.
     */
    static boolean isOverloaded(RealServer dest, RealServer[] dests) {
        if (dest.activeConns() > dest.weight()) {
            for (int i = 0; i < dests.length; i++) {
                if ((long) dests[i].activeConns() * 2 < dests[i].weight()) {
                    return true;
                }
            }
        }
        return false;
    }
}
