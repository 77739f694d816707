package uvs.core.sched;

import java.util.IdentityHashMap;
import org.agrona.collections.Int2IntHashMap;
import uvs.core.PacketHeader;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * wrr: passes over the list with a falling required weight {@code cw} (from {@code mw} down by the gcd
 * {@code di} of all weights); each pass picks every non-OVERLOADed dest whose weight is at least {@code cw}.
 * {@code mw} is the maximum weight minus {@code di − 1}, so the last pass asks for weight ≥ 1.
 * The positive weights are kept counted by value, so a change costs the number of distinct weights, not
 * a pass over every real server (a list of 40 000 loads in linear time).
 */
public final class WeightedRoundRobinScheduler implements Scheduler {
    /** ipvsadm name. */
    public static final String NAME = "wrr";

    private static final int HEAD = -1;
    private static final int NONE = -2;

    /** Current position (index of the last chosen dest, or HEAD). */
    private int cl = HEAD;
    /** Current required weight. */
    private int cw;
    /** Maximum weight minus (di − 1). */
    private int mw;
    /** Decreasing interval: gcd of the positive weights, 1 if none. */
    private int di;

    /** The weight each dest was counted with. */
    private final IdentityHashMap<RealServer, Integer> counted = new IdentityHashMap<>();
    /** Positive weight to how many dests have it. */
    private final Int2IntHashMap byWeight = new Int2IntHashMap(0);

    /** A scheduler for {@code svc}, starting at its list head with {@code cw = mw}. */
    public WeightedRoundRobinScheduler(VirtualService svc) {
        for (RealServer d : svc.dests()) {
            track(d);
        }
        recompute();
        cw = mw;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onDestAdded(VirtualService svc, RealServer dest) {
        track(dest);
        destChanged();
    }

    @Override
    public void onDestRemoved(VirtualService svc, RealServer dest, int formerIndex) {
        untrack(dest);
        destChanged();
    }

    @Override
    public void onDestUpdated(VirtualService svc, RealServer dest) {
        track(dest);
        destChanged();
    }

    private void track(RealServer d) {
        untrack(d);
        int w = d.weight();
        counted.put(d, w);
        if (w > 0) {
            byWeight.put(w, byWeight.get(w) + 1);
        }
    }

    private void untrack(RealServer d) {
        Integer w = counted.remove(d);
        if (w != null && w > 0) {
            int n = byWeight.get(w) - 1;
            if (n <= 0) {
                byWeight.remove(w.intValue());
            } else {
                byWeight.put(w.intValue(), n);
            }
        }
    }

    private void destChanged() {
        cl = HEAD;
        recompute();
        if (cw > mw || cw == 0) {
            cw = mw;
        } else if (di > 1) {
            // back onto the di grid, +1 so that a weight reduced below di still gets its pass
            cw = (cw / di) * di + 1;
        }
    }

    private void recompute() {
        int g = 0;
        int max = 0;
        for (Int2IntHashMap.KeyIterator it = byWeight.keySet().iterator(); it.hasNext(); ) {
            int w = it.nextValue();
            g = g > 0 ? HashFunctions.gcd(w, g) : w;
            if (w > max) {
                max = w;
            }
        }
        di = g > 0 ? g : 1;
        mw = max - (di - 1);
    }

    @Override
    public RealServer schedule(VirtualService svc, PacketHeader pkt) {
        if (mw == 0) {
            return null;
        }
        RealServer[] dests = svc.dests();
        int n = dests.length;
        int last = cl;
        int stop = NONE;
        boolean lastPass = false;
        boolean restarted = false;
        int i = cl;
        while (true) {
            for (i++; i < n; i++) {
                RealServer d = dests[i];
                if (!d.isOverloaded() && d.weight() >= cw) {
                    cl = i;
                    return d;
                }
                if (i == stop) {
                    cl = i;
                    return null;
                }
            }
            i = HEAD;
            cw -= di;
            if (cw <= 0) {
                cw = mw;
                // the last pass (cw ≤ di) already covered every dest: all are overloaded
                if (lastPass || last == HEAD) {
                    cl = HEAD;
                    return null;
                }
                restarted = true;
            }
            lastPass = cw <= di;
            if (lastPass && restarted && last != HEAD) {
                // the weight ≥ 1 pass began after 'last': finish it at 'last'
                stop = last;
            }
        }
    }
}
