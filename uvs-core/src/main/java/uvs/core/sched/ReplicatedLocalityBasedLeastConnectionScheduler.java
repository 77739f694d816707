package uvs.core.sched;

import java.util.Objects;
import uvs.core.PacketHeader;
import uvs.core.net.Af;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;
import uvs.time.Jiffies;

/**
 * lblcr: like lblc, but each destination address maps to a set of dests. The set's weighted
 * least-connection member is used unless it is "overloaded", in which case the wlc choice over the whole
 * service is used and added to the set. A set of more than one member that has not changed for
 * lblcr_expiration loses its most loaded member.
 */
public final class ReplicatedLocalityBasedLeastConnectionScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "lblcr";

    private final SchedulerContext ctx;
    private final LocalityTable<DestSet> table;

    /** A scheduler with an empty cache, its first garbage collection due 60 s from now. */
    public ReplicatedLocalityBasedLeastConnectionScheduler(SchedulerContext ctx) {
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

    /** The dest set cached for an IPv4 destination address, or null (tests and diagnostics). */
    DestSet cachedSet(int daddr) {
        int e = table.find(LocalityTable.hashKey(daddr), 0, daddr & 0xffff_ffffL);
        return e < 0 ? null : table.value(e);
    }

    @Override
    public void onTick(VirtualService svc, int now) {
        table.tick(now, ctx.lblcrExpirationJiffies());
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        int now = ctx.nowJiffies();
        boolean v6 = pkt.af == Af.INET6;
        long hi = v6 ? pkt.dstHi : 0;
        long lo = v6 ? pkt.dstLo : pkt.dstLo & 0xffff_ffffL;
        int hash = LocalityTable.hashKey(HashFunctions.destinationFold(pkt));
        RealServer[] dests = svc.dests();
        int e = table.find(hash, hi, lo);
        if (e < 0) {
            RealServer d = WeightedLeastConnectionScheduler.leastLoaded(dests);
            if (d == null) {
                return null;
            }
            DestSet set = new DestSet();
            set.insert(d, false, now);
            table.add(hash, hi, lo, set, now);
            return d;
        }
        table.touch(e, now);
        DestSet set = table.value(e);
        RealServer d = set.min();
        // a replicated set that has been stable for lblcr_expiration sheds its most loaded member
        if (set.size() > 1 && Jiffies.after(now, set.lastmod() + ctx.lblcrExpirationJiffies())) {
            RealServer most = set.max();
            if (most != null) {
                set.erase(most, now);
            }
        }
        if (d != null && !LocalityBasedLeastConnectionScheduler.isOverloaded(d, dests)) {
            return d;
        }
        d = WeightedLeastConnectionScheduler.leastLoaded(dests);
        if (d == null) {
            return null;
        }
        set.insert(d, true, now);
        return d;
    }
}
