package uvs.ctl.view;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uvs.core.Engine;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.proto.StateNames;
import uvs.core.stats.Stats;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;
import uvs.time.Jiffies;

/**
 * Builds {@link EngineView}s from live engines. Call it on each engine's owner thread (or while the
 * engines are idle), after {@link Engine#doWork()} or a packet, so that the engine's "now" is current:
 * the connections' remaining times are measured from it.
 *
 * <p>Order, as the kernel dumps it: services from its address table first, then from its firewall-mark
 * table (each here in order of addition; the kernel's own bucket order depends on a per-boot pointer
 * value and cannot be reproduced); real servers in list order (newest first); connections by table id,
 * IPv4 table first. Like /proc, only entries in the connection hash are listed (one-packet connections
 * and unhashed entries are not).
 *
 * <p>Several engine shards sum into one view: statistics are added before the rates are rounded, as the
 * kernel adds its per-CPU counters; real-server counters are added; configuration is taken from the first
 * shard that has the service; connections of all shards are listed, shard after shard.
 */
public final class Snapshots {
    private static final int PE_DATA_MAX = 255;

    private Snapshots() {
    }

    /** Services, totals, timeouts and every connection of one engine. */
    public static EngineView of(Engine engine) {
        return of(List.of(engine), true);
    }

    /** Services, totals and timeouts of one engine, without connections (cheap: for {@code -L}). */
    public static EngineView withoutConnections(Engine engine) {
        return of(List.of(engine), false);
    }

    /**
     * The sum of several engine shards.
     *
     * @param shards at least one engine; the first gives the timeouts and the table size
     * @param withConnections whether to list connection entries
     */
    public static EngineView of(List<Engine> shards, boolean withConnections) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no engine to take a snapshot of");
        }
        Engine first = shards.get(0);
        Stats totals = new Stats();
        Map<ServiceKey, ServiceSum> services = new LinkedHashMap<>();
        List<ConnView> conns = new ArrayList<>();
        byte[] peBuf = new byte[PE_DATA_MAX + 1];
        for (int i = 0; i < shards.size(); i++) {
            Engine e = shards.get(i);
            totals.addCounters(e.totalStats());
            List<VirtualService> list = e.services();
            for (int j = 0; j < list.size(); j++) {
                VirtualService s = list.get(j);
                services.computeIfAbsent(s.key(), k -> new ServiceSum(k, s.config())).add(s);
            }
            if (withConnections) {
                addConns(conns, e, e.conns4(), peBuf);
                addConns(conns, e, e.conns6(), peBuf);
            }
        }
        List<ServiceView> addressServices = new ArrayList<>();
        List<ServiceView> markServices = new ArrayList<>();
        for (ServiceSum s : services.values()) {
            (s.key.isFwmark() ? markServices : addressServices).add(s.view());
        }
        addressServices.addAll(markServices);
        int[] t = first.timeouts().tcpTcpfinUdpSeconds();
        return new EngineView(1 << first.config().connTabBits(), StatsView.of(totals),
            new TimeoutView(t[0], t[1], t[2]), addressServices, conns);
    }

    private static void addConns(List<ConnView> out, Engine e, ConnTable t, byte[] peBuf) {
        int now = e.nowJiffies();
        for (int id = t.next(0); id != ConnTable.NONE; id = t.next(id + 1)) {
            if (!t.isHashed(id)) {
                continue;
            }
            int flags = t.flags(id);
            int protocol = t.protocol(id);
            boolean template = (flags & ConnFlags.TEMPLATE) != 0;
            // the kernel prints jiffies_delta_to_msecs(expires - jiffies) / 1000: negative deltas show 0
            int remaining = t.expires(id) - now;
            int seconds = remaining > 0 ? Jiffies.toSeconds(remaining) : 0;
            String peName = null;
            String peData = null;
            int n = e.peData(t, id, peBuf);
            if (n > 0) {
                peData = new String(peBuf, 0, n, StandardCharsets.ISO_8859_1);
                peName = e.peName(t, id);
            }
            out.add(new ConnView(protocol,
                address(t.af(), t.caddrHi(id), t.caddrLo(id)), t.cport(id),
                address(t.af(), t.vaddrHi(id), t.vaddrLo(id)), t.vport(id),
                address(t.af(), t.daddrHi(id), t.daddrLo(id)), t.dport(id),
                StateNames.connStateName(protocol, t.state(id), template), seconds, flags, peName, peData));
        }
    }

    private static IpAddress address(int af, long hi, long lo) {
        return af == Af.INET ? IpAddress.v4((int) lo) : IpAddress.v6(hi, lo);
    }

    /** One service summed over the shards. */
    private static final class ServiceSum {
        final ServiceKey key;
        final ServiceConfig config;
        final Stats stats = new Stats();
        final Map<DestKey, DestSum> dests = new LinkedHashMap<>();

        ServiceSum(ServiceKey key, ServiceConfig config) {
            this.key = key;
            this.config = config;
        }

        void add(VirtualService s) {
            stats.addCounters(s.stats());
            RealServer[] list = s.dests();
            for (int i = 0; i < list.length; i++) {
                RealServer d = list[i];
                dests.computeIfAbsent(new DestKey(d.address(), d.port()), k -> new DestSum(d)).add(d);
            }
        }

        ServiceView view() {
            List<DestView> list = new ArrayList<>(dests.size());
            for (DestSum d : dests.values()) {
                list.add(d.view());
            }
            return new ServiceView(key, config, StatsView.of(stats), list);
        }
    }

    private record DestKey(IpAddress address, int port) {
    }

    /** One real server summed over the shards. */
    private static final class DestSum {
        final IpAddress address;
        final int port;
        final RealServerConfig config;
        final Stats stats = new Stats();
        int active;
        int inactive;
        int persistent;

        DestSum(RealServer d) {
            address = d.address();
            port = d.port();
            config = new RealServerConfig(d.weight(), d.forward(), d.tunnelType(), d.tunnelPort(),
                d.tunnelChecksum(), d.upperThreshold(), d.lowerThreshold());
        }

        void add(RealServer d) {
            stats.addCounters(d.stats());
            active += d.activeConns();
            inactive += d.inactConns();
            persistent += d.persistConns();
        }

        DestView view() {
            return new DestView(address, port, config, active, inactive, persistent, StatsView.of(stats));
        }
    }
}
