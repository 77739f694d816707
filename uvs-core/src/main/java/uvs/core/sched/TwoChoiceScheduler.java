package uvs.core.sched;

import java.util.Objects;
import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * twos (power of two choices): draws two weighted-random eligible dests (not OVERLOADed, weight &gt; 0)
 * and returns the one with the smaller {@code overhead / weight}; the first draw wins ties.
 */
public final class TwoChoiceScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "twos";

    private final SchedulerContext ctx;

    /** A scheduler drawing from {@code ctx.random()}. */
    public TwoChoiceScheduler(SchedulerContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        RealServer[] dests = svc.dests();
        int total = 0;
        for (int i = 0; i < dests.length; i++) {
            RealServer d = dests[i];
            if (!d.isOverloaded() && d.weight() > 0) {
                total += d.weight();
            }
        }
        if (total == 0) {
            return null;
        }
        // +1: each draw is in [0, sum of weights], so the walk below always ends with r ≤ 0
        total += 1;
        int r1 = ctx.random().nextInt(total);
        int r2 = ctx.random().nextInt(total);
        RealServer choice1 = null;
        RealServer choice2 = null;
        for (int i = 0; i < dests.length && (choice1 == null || choice2 == null); i++) {
            RealServer d = dests[i];
            int w = d.weight();
            if (d.isOverloaded() || w <= 0) {
                continue;
            }
            r1 -= w;
            r2 -= w;
            if (r1 <= 0 && choice1 == null) {
                choice1 = d;
            }
            if (r2 <= 0 && choice2 == null) {
                choice2 = d;
            }
        }
        long w1 = choice1.weight();
        long w2 = choice2.weight();
        return w2 * choice1.overhead() > w1 * choice2.overhead() ? choice2 : choice1;
    }
}
