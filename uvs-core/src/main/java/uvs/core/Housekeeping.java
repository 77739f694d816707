package uvs.core;

import java.util.List;
import java.util.random.RandomGenerator;
import uvs.core.conn.ConnTable;
import uvs.core.stats.RateEstimator;
import uvs.core.stats.Stats;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;
import uvs.core.tune.Tunables;
import uvs.time.Jiffies;

/**
 * The engine's timers: connection expiry, the 2 s rate estimator, and once a second the defense levels,
 * scheduler housekeeping and the real-server trash.
 */
final class Housekeeping {
    private static final int EXPIRE_LIMIT = 1 << 16;
    private final Connections conns;
    private final ConnTable conns4;
    private final ConnTable conns6;
    private final ServiceTable services;
    private final DestRegistry dests;
    private final Defense defense;
    private final Tunables tunables;
    private final Stats total;
    private final RandomGenerator random;
    private int lastEstimate;
    private int lastSecond;

    Housekeeping(Connections conns, ConnTable conns4, ConnTable conns6, ServiceTable services, DestRegistry dests,
                 Defense defense, Tunables tunables, Stats total, RandomGenerator random) {
        this.conns = conns;
        this.conns4 = conns4;
        this.conns6 = conns6;
        this.services = services;
        this.dests = dests;
        this.defense = defense;
        this.tunables = tunables;
        this.total = total;
        this.random = random;
        this.lastEstimate = conns.now();
        this.lastSecond = conns.now();
    }


    /**
     * Runs timers: connection expiry, the 2 s rate estimator, once-a-second defense levels, scheduler
     * housekeeping and the real-server trash. Returns the amount of work done (0 = idle).
     */
    int doWork() {
        return doWork(EXPIRE_LIMIT);
    }

    /**
     * {@link #doWork()} expiring at most {@code expireLimit} entries per table, for a caller that runs other
     * work in between (a simulator running the sync threads, which a burst of expiries feeds).
     */
    int doWork(int expireLimit) {
        int now = conns.tick();
        int work = conns.expire(expireLimit);
        if (now - lastEstimate >= Jiffies.fromSeconds(RateEstimator.INTERVAL_SECONDS)) {
            lastEstimate = now;
            if (!tunables.estStopped()) {
                estimate();
            }
            work++;
        }
        if (now - lastSecond >= Jiffies.HZ) {
            lastSecond = now;
            defense.update();
            conns.secureTcp(defense.secureTcp());
            if (defense.dropEntry()) {
                // the kernel visits 1/32 of its hash buckets per second
                conns.randomDropEntries(conns4, random, Math.max(1, conns4.bucketCount() >> 5));
                conns.randomDropEntries(conns6, random, Math.max(1, conns6.bucketCount() >> 5));
            }
            List<VirtualService> all = services.all();
            for (int i = 0; i < all.size(); i++) {
                VirtualService s = all.get(i);
                s.scheduler().onTick(s, now);
            }
            dests.collect(now);
            work++;
        }
        return work;
    }

    private void estimate() {
        RateEstimator.tick(total);
        List<VirtualService> all = services.all();
        for (int i = 0; i < all.size(); i++) {
            VirtualService s = all.get(i);
            RateEstimator.tick(s.stats());
            for (RealServer d : s.dests()) {
                RateEstimator.tick(d.stats());
            }
        }
    }
}
