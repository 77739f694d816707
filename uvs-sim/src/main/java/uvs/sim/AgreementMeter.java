package uvs.sim;

import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpProto;

/**
 * Settled agreement of directors A and B per counter: among the entries whose last synced change is older than
 * the settle time, those counted alike on both directors over those counted on either — live flows as
 * ActiveConn, flows that ended as InActConn (after FIN or RST) or ActiveConn (abandoned, until their timeout),
 * and the persistent clients' templates.
 */
final class AgreementMeter {
    private final FlowPopulation flows;
    private final EndedFlows finished;
    private final EndedFlows reset;
    private final EndedFlows abandoned;
    /** Per client: tick its latest connection was synced, -1 = none yet. */
    private final int[] clientSynced;
    private final boolean persistent;
    private final int settleTicks;
    private final int ticksPerSecond;
    private final int finishedRetainSeconds;
    private final int resetRetainSeconds;
    private final int abandonedRetainSeconds;

    /**
     * A meter over {@code flows}, the ended flows by close kind and the clients' sync ticks; the retain times
     * say how long after its end an ended flow's entry surely still exists on both directors.
     */
    AgreementMeter(FlowPopulation flows, EndedFlows finished, EndedFlows reset, EndedFlows abandoned,
                   int[] clientSynced, boolean persistent, int settleTicks, int ticksPerSecond,
                   int finishedRetainSeconds, int resetRetainSeconds, int abandonedRetainSeconds) {
        this.flows = flows;
        this.finished = finished;
        this.reset = reset;
        this.abandoned = abandoned;
        this.clientSynced = clientSynced;
        this.persistent = persistent;
        this.settleTicks = settleTicks;
        this.ticksPerSecond = ticksPerSecond;
        this.finishedRetainSeconds = finishedRetainSeconds;
        this.resetRetainSeconds = resetRetainSeconds;
        this.abandonedRetainSeconds = abandonedRetainSeconds;
    }

    /**
     * One counter's agreement.
     *
     * @param matched entries counted alike on both directors
     * @param union   entries counted on either
     */
    record Share(long matched, long union) {
        static final Share NONE = new Share(0, 0);

        /** Matched over union in %, NaN when nothing was counted. */
        double percent() {
            return union == 0 ? Double.NaN : 100.0 * matched / union;
        }

        Share plus(Share o) {
            return new Share(matched + o.matched, union + o.union);
        }
    }

    /**
     * The agreement of the three counters.
     *
     * @param active     ActiveConn
     * @param inactive   InActConn
     * @param persistent PersistConn (templates)
     */
    record Agreement(Share active, Share inactive, Share persistent) {
        static final Agreement NONE = new Agreement(Share.NONE, Share.NONE, Share.NONE);

        Agreement plus(Agreement o) {
            return new Agreement(active.plus(o.active), inactive.plus(o.inactive), persistent.plus(o.persistent));
        }

        /** Whether every counter that counted anything agrees at least {@code percent}. */
        boolean atLeast(double percent) {
            for (Share s : new Share[] {active, inactive, persistent}) {
                if (s.union() > 0 && s.percent() < percent) {
                    return false;
                }
            }
            return true;
        }

        /** The three percentages: active, inactive, persistent. */
        double[] percents() {
            return new double[] {active.percent(), inactive.percent(), persistent.percent()};
        }
    }

    /** Measures A's table {@code ta} against B's {@code tb} at {@code tick}; forgets ended flows too old to compare. */
    Agreement measure(ConnTable ta, ConnTable tb, int tick) {
        long[] m = new long[3];
        long[] u = new long[3];
        long vip = SimDirector.VIP.lo();
        int settled = tick - settleTicks;
        for (int i = 0; i < flows.size(); i++) {
            if (flows.syncAt[i] < 0 || flows.syncAt[i] - settled > 0) {
                continue;
            }
            int client = Simulation.CLIENT_BASE + flows.client[i];
            int vport = flows.vport(i);
            count(m, u, 0, active(ta, ta.lookupIn(IpProto.TCP, 0, client, flows.port[i], 0, vip, vport)),
                active(tb, tb.lookupIn(IpProto.TCP, 0, client, flows.port[i], 0, vip, vport)));
        }
        compareEnded(m, u, ta, tb, tick, finished, finishedRetainSeconds, false);
        compareEnded(m, u, ta, tb, tick, reset, resetRetainSeconds, false);
        // an abandoned entry stays ESTABLISHED (ActiveConn) until its timeout
        compareEnded(m, u, ta, tb, tick, abandoned, abandonedRetainSeconds, true);
        if (persistent) {
            for (int c = 0; c < clientSynced.length; c++) {
                if (clientSynced[c] < 0 || clientSynced[c] - settled > 0) {
                    continue;
                }
                int client = Simulation.CLIENT_BASE + c;
                count(m, u, 2, ta.lookupTemplate(IpProto.TCP, 0, client, 0, vip, 80) != ConnTable.NONE,
                    tb.lookupTemplate(IpProto.TCP, 0, client, 0, vip, 80) != ConnTable.NONE);
            }
        }
        return new Agreement(new Share(m[0], u[0]), new Share(m[1], u[1]), new Share(m[2], u[2]));
    }

    /**
     * Compares the entries of ended flows that ended at least the settle time ago and less than
     * {@code retainSeconds} ago (while both copies surely exist): as ActiveConn or as InActConn.
     */
    private void compareEnded(long[] m, long[] u, ConnTable ta, ConnTable tb, int tick, EndedFlows ended,
                              int retainSeconds, boolean asActive) {
        long vip = SimDirector.VIP.lo();
        int settled = tick - settleTicks;
        ended.dropBefore(tick - retainSeconds * ticksPerSecond);
        for (int j = 0; j < ended.size(); j++) {
            if (ended.endedAt(j) - settled > 0) {
                break;
            }
            int client = Simulation.CLIENT_BASE + ended.client(j);
            int ca = ta.lookupIn(IpProto.TCP, 0, client, ended.port(j), 0, vip, ended.vport(j));
            int cb = tb.lookupIn(IpProto.TCP, 0, client, ended.port(j), 0, vip, ended.vport(j));
            if (asActive) {
                count(m, u, 0, active(ta, ca), active(tb, cb));
            } else {
                count(m, u, 1, inactive(ta, ca), inactive(tb, cb));
            }
        }
    }

    private static void count(long[] m, long[] u, int k, boolean onA, boolean onB) {
        if (onA || onB) {
            u[k]++;
            if (onA && onB) {
                m[k]++;
            }
        }
    }

    private static boolean active(ConnTable t, int c) {
        return c != ConnTable.NONE && (t.flags(c) & (ConnFlags.INACTIVE | ConnFlags.TEMPLATE)) == 0;
    }

    private static boolean inactive(ConnTable t, int c) {
        return c != ConnTable.NONE && (t.flags(c) & ConnFlags.TEMPLATE) == 0 && (t.flags(c) & ConnFlags.INACTIVE) != 0;
    }
}
