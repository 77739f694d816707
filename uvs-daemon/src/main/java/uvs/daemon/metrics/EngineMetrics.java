package uvs.daemon.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import uvs.core.DropReason;
import uvs.core.Engine;
import uvs.ctl.view.DestView;
import uvs.ctl.view.EngineView;
import uvs.ctl.view.EngineViews;
import uvs.ctl.view.ServiceView;
import uvs.ctl.view.Snapshots;
import uvs.ctl.view.StatsView;
import uvs.daemon.EngineGroup;

import static uvs.daemon.metrics.MetricPoints.counter;
import static uvs.daemon.metrics.MetricPoints.cp;
import static uvs.daemon.metrics.MetricPoints.gauge;
import static uvs.daemon.metrics.MetricPoints.gp;

/**
 * Prometheus metrics of one engine, read on each scrape from a snapshot taken on the engine thread: per
 * service and real server connections (active, inactive, persistent), packets, bytes and rates, weights;
 * connection-table size, capacity and refusals; drops by reason.
 */
public final class EngineMetrics implements MultiCollector {
    private static final int TIMEOUT_SECONDS = 5;

    private final EngineGroup agent;

    /** Metrics read through {@code agent}. */
    public EngineMetrics(EngineGroup agent) {
        this.agent = agent;
    }

    /** What one scrape reads on the engine thread. */
    record Scrape(EngineView view, int size4, int capacity4, int refused4, int size6, int capacity6, int refused6,
                  Map<DropReason, Long> drops, long created, long expired) {
        /** The shards' scrapes added up. */
        static Scrape sum(List<Scrape> shards) {
            if (shards.size() == 1) {
                return shards.get(0);
            }
            Map<DropReason, Long> drops = new LinkedHashMap<>();
            int size4 = 0;
            int capacity4 = 0;
            int refused4 = 0;
            int size6 = 0;
            int capacity6 = 0;
            int refused6 = 0;
            long created = 0;
            long expired = 0;
            List<EngineView> views = new ArrayList<>();
            for (Scrape s : shards) {
                views.add(s.view);
                size4 += s.size4;
                capacity4 += s.capacity4;
                refused4 += s.refused4;
                size6 += s.size6;
                capacity6 += s.capacity6;
                refused6 += s.refused6;
                created += s.created;
                expired += s.expired;
                s.drops.forEach((r, n) -> drops.merge(r, n, Long::sum));
            }
            return new Scrape(EngineViews.merge(views), size4, capacity4, refused4, size6, capacity6,
                refused6, drops, created, expired);
        }

        static Scrape of(Engine e) {
            Map<DropReason, Long> drops = new LinkedHashMap<>();
            for (DropReason r : DropReason.values()) {
                if (r != DropReason.NONE) {
                    drops.put(r, e.counters().drops(r));
                }
            }
            return new Scrape(Snapshots.withoutConnections(e), e.conns4().size(), e.conns4().capacity(),
                e.conns4().refused(), e.conns6().size(), e.conns6().capacity(), e.conns6().refused(), drops,
                e.counters().connsCreated(), e.counters().connsExpired());
        }
    }

    @Override
    public MetricSnapshots collect() {
        Scrape s;
        try {
            s = Scrape.sum(agent.callEach(Scrape::of, TIMEOUT_SECONDS));
        } catch (Exception e) {
            return MetricSnapshots.of(gauge("uvs_up", "1 if the engine answered the scrape",
                List.of(GaugeDataPointSnapshot.builder().value(0).build())));
        }
        return build(s);
    }

    static MetricSnapshots build(Scrape s) {
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(gauge("uvs_up", "1 if the engine answered the scrape",
            List.of(GaugeDataPointSnapshot.builder().value(1).build())));
        out.add(gauge("uvs_connection_table_entries", "Connection entries in use (templates included)", List.of(
            gp(s.size4(), "af", "inet"), gp(s.size6(), "af", "inet6"))));
        out.add(gauge("uvs_connection_table_capacity", "Connection entries available in all", List.of(
            gp(s.capacity4(), "af", "inet"), gp(s.capacity6(), "af", "inet6"))));
        out.add(counter("uvs_connection_table_refused", "New connections refused because the table was full",
            List.of(cp(s.refused4(), "af", "inet"), cp(s.refused6(), "af", "inet6"))));
        List<CounterDataPointSnapshot> drops = new ArrayList<>();
        s.drops().forEach((r, v) -> drops.add(cp(v, "reason", r.name().toLowerCase(Locale.ROOT))));
        out.add(counter("uvs_packet_drops", "Packets dropped or refused, by reason", drops));
        out.add(counter("uvs_connections_created", "Connections created by the packet path",
            List.of(CounterDataPointSnapshot.builder().value(s.created()).build())));
        out.add(counter("uvs_connections_expired", "Connection entries expired or deleted",
            List.of(CounterDataPointSnapshot.builder().value(s.expired()).build())));

        List<ServiceView> services = s.view().services();
        out.add(serviceCounter(services, "uvs_service_connections", "Connections scheduled", StatsView::conns));
        out.add(serviceCounter(services, "uvs_service_in_packets", "Packets client to server", StatsView::inPkts));
        out.add(serviceCounter(services, "uvs_service_out_packets", "Packets server to client", StatsView::outPkts));
        out.add(serviceCounter(services, "uvs_service_in_bytes", "Bytes client to server", StatsView::inBytes));
        out.add(serviceCounter(services, "uvs_service_out_bytes", "Bytes server to client", StatsView::outBytes));
        out.add(serviceGauge(services, "uvs_service_connections_per_second", "Estimated new connections per second",
            v -> v.stats().cps()));
        out.add(serviceGauge(services, "uvs_service_in_packets_per_second", "Estimated packets per second in",
            v -> v.stats().inPps()));
        out.add(serviceGauge(services, "uvs_service_in_bytes_per_second", "Estimated bytes per second in",
            v -> v.stats().inBps()));

        out.add(destGauge(services, "uvs_real_server_active_connections", "ActiveConn", DestView::activeConns));
        out.add(destGauge(services, "uvs_real_server_inactive_connections", "InActConn", DestView::inactConns));
        out.add(destGauge(services, "uvs_real_server_persistent_connections", "PersistConn (templates)",
            DestView::persistConns));
        out.add(destGauge(services, "uvs_real_server_weight", "Weight (0 = quiescent)", d -> d.config().weight()));
        out.add(destGauge(services, "uvs_real_server_connections_per_second", "Estimated new connections per second",
            d -> d.stats().cps()));
        out.add(destCounter(services, "uvs_real_server_connections", "Connections scheduled", StatsView::conns));
        out.add(destCounter(services, "uvs_real_server_in_packets", "Packets client to server", StatsView::inPkts));
        out.add(destCounter(services, "uvs_real_server_in_bytes", "Bytes client to server", StatsView::inBytes));
        out.add(destCounter(services, "uvs_real_server_out_packets", "Packets server to client", StatsView::outPkts));
        out.add(destCounter(services, "uvs_real_server_out_bytes", "Bytes server to client", StatsView::outBytes));
        return new MetricSnapshots(out);
    }

    private static String service(ServiceView s) {
        return s.key().toString();
    }

    private static String server(DestView d) {
        return d.address().withPort(d.port());
    }

    private static MetricSnapshot serviceCounter(List<ServiceView> services, String name, String help,
                                                 ToDoubleFunction<StatsView> f) {
        List<CounterDataPointSnapshot> points = new ArrayList<>();
        for (ServiceView s : services) {
            points.add(cp(f.applyAsDouble(s.stats()), "service", service(s)));
        }
        return counter(name, help, points);
    }

    private static MetricSnapshot serviceGauge(List<ServiceView> services, String name, String help,
                                               ToDoubleFunction<ServiceView> f) {
        List<GaugeDataPointSnapshot> points = new ArrayList<>();
        for (ServiceView s : services) {
            points.add(gp(f.applyAsDouble(s), "service", service(s)));
        }
        return gauge(name, help, points);
    }

    private static MetricSnapshot destGauge(List<ServiceView> services, String name, String help,
                                            ToDoubleFunction<DestView> f) {
        List<GaugeDataPointSnapshot> points = new ArrayList<>();
        for (ServiceView s : services) {
            for (DestView d : s.dests()) {
                points.add(GaugeDataPointSnapshot.builder().value(f.applyAsDouble(d))
                    .labels(Labels.of("service", service(s), "server", server(d))).build());
            }
        }
        return gauge(name, help, points);
    }

    private static MetricSnapshot destCounter(List<ServiceView> services, String name, String help,
                                              ToDoubleFunction<StatsView> f) {
        List<CounterDataPointSnapshot> points = new ArrayList<>();
        for (ServiceView s : services) {
            for (DestView d : s.dests()) {
                points.add(CounterDataPointSnapshot.builder().value(f.applyAsDouble(d.stats()))
                    .labels(Labels.of("service", service(s), "server", server(d))).build());
            }
        }
        return counter(name, help, points);
    }



}
