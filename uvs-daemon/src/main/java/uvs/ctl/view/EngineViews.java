package uvs.ctl.view;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds up the views of engine shards into one view of the director: the same services and real servers
 * (every shard holds the same configuration) with summed counters, rates and connection counts, and all
 * shards' connections.
 */
public final class EngineViews {
    private EngineViews() {
    }

    /** The sum of {@code shards}; the first shard's configuration and order are kept. */
    public static EngineView merge(List<EngineView> shards) {
        if (shards.size() == 1) {
            return shards.get(0);
        }
        EngineView first = shards.get(0);
        List<ServiceView> services = new ArrayList<>(first.services().size());
        for (ServiceView s : first.services()) {
            StatsView stats = s.stats();
            List<DestView> dests = new ArrayList<>(s.dests());
            for (int i = 1; i < shards.size(); i++) {
                ServiceView other = find(shards.get(i), s);
                if (other == null) {
                    continue;
                }
                stats = add(stats, other.stats());
                for (int d = 0; d < dests.size(); d++) {
                    DestView mine = dests.get(d);
                    for (DestView o : other.dests()) {
                        if (o.address().equals(mine.address()) && o.port() == mine.port()) {
                            dests.set(d, new DestView(mine.address(), mine.port(), mine.config(),
                                mine.activeConns() + o.activeConns(), mine.inactConns() + o.inactConns(),
                                mine.persistConns() + o.persistConns(), add(mine.stats(), o.stats())));
                        }
                    }
                }
            }
            services.add(new ServiceView(s.key(), s.config(), stats, dests));
        }
        StatsView totals = first.totals();
        List<ConnView> conns = new ArrayList<>(first.conns());
        for (int i = 1; i < shards.size(); i++) {
            totals = add(totals, shards.get(i).totals());
            conns.addAll(shards.get(i).conns());
        }
        return new EngineView(first.connTabSize(), totals, first.timeouts(), services, conns);
    }

    private static ServiceView find(EngineView v, ServiceView s) {
        for (ServiceView o : v.services()) {
            if (o.key().equals(s.key())) {
                return o;
            }
        }
        return null;
    }

    private static StatsView add(StatsView a, StatsView b) {
        return new StatsView(a.conns() + b.conns(), a.inPkts() + b.inPkts(), a.outPkts() + b.outPkts(),
            a.inBytes() + b.inBytes(), a.outBytes() + b.outBytes(), a.cps() + b.cps(), a.inPps() + b.inPps(),
            a.outPps() + b.outPps(), a.inBps() + b.inBps(), a.outBps() + b.outBps());
    }
}
