package uvs.ctl.format;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.format.Views.dest;
import static uvs.ctl.format.Views.engine;
import static uvs.ctl.format.Views.key;
import static uvs.ctl.format.Views.lines;
import static uvs.ctl.format.Views.svc;

import org.junit.jupiter.api.Test;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;
import uvs.ctl.view.ServiceView;
import uvs.ctl.view.StatsView;

/** --stats, --rate, --thresholds, --persistent-conn and --tun-info. */
class CounterTablesTest {
    private static final StatsView SECTION93 = StatsView.counters(5, 120, 0, 123_456_789L, 0);

    private static String one(ServiceListing f, ServiceView s) {
        StringBuilder sb = new StringBuilder();
        f.formatService(s, sb);
        return sb.toString();
    }

    @Test
    void shouldReproduceTheSection93StatsExample() {
        ServiceView s = svc(key(IpProto.TCP, "10.1.1.1", 80), ServiceConfig.of("rr"), SECTION93,
            dest("10.2.2.2", 80, SECTION93));

        // copied from spec §9.3 (the rows of one service: the whole table adds the version line)
        assertThat(one(new StatsFormat(DisplayOptions.NUMERIC), s)).isEqualTo(""
            + "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
            + "  -> RemoteAddress:Port\n"
            + "TCP  10.1.1.1:80                         5      120        0  123456K        0\n"
            + "  -> 10.2.2.2:80                         5      120        0  123456K        0\n");
    }

    @Test
    void shouldPrintTheVersionLineAndExactNumbersForTheWholeStatsTable() {
        ServiceView s = svc(key(IpProto.TCP, "10.1.1.1", 80), ServiceConfig.of("rr"), SECTION93,
            dest("10.2.2.2", 80, SECTION93));

        // --exact: 123456789 has 9 digits -> width 10
        assertThat(new StatsFormat(DisplayOptions.NUMERIC.withExact()).formatAll(engine(s))).isEqualTo(""
            + "IP Virtual Server version 1.2.1 (size=4096)\n"
            + "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
            + "  -> RemoteAddress:Port\n"
            + "TCP  10.1.1.1:80                         5      120        0 123456789        0\n"
            + "  -> 10.2.2.2:80                         5      120        0 123456789        0\n");
    }

    @Test
    void shouldScaleServiceRatesButPrintTheSmallDestRatesPlain() {
        StatsView rates = new StatsView(0, 0, 0, 0, 0, 123_456_789L, 20, 0, 123_456_789L, 7);
        ServiceView s = svc(key(IpProto.TCP, "10.1.1.1", 80), ServiceConfig.of("rr"), rates,
            dest("10.2.2.2", 80, rates));

        // service: 5 x print_largenum; dest: "  -> %-28s %8llu %8llu %8llu" then 2 x print_largenum
        assertThat(one(new RateFormat(DisplayOptions.NUMERIC), s)).isEqualTo(""
            + "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
            + "  -> RemoteAddress:Port\n"
            + "TCP  10.1.1.1:80                   123456K       20        0  123456K        7\n"
            + "  -> 10.2.2.2:80                  123456789       20        0  123456K        7\n");
    }

    @Test
    void shouldPrintExactRatesWithTheDestSmallRatesStillPlain() {
        StatsView rates = new StatsView(0, 0, 0, 0, 0, 123_456_789L, 20, 0, 123_456_789L, 7);
        ServiceView s = svc(key(IpProto.TCP, "10.1.1.1", 80), ServiceConfig.of("rr"), rates,
            dest("10.2.2.2", 80, rates));

        // --exact: 9-digit values take width 10 in print_largenum; the dest's %8llu is unchanged
        assertThat(one(new RateFormat(DisplayOptions.NUMERIC.withExact()), s)).endsWith(lines(
            "TCP  10.1.1.1:80                  123456789       20        0 123456789        7",
            "  -> 10.2.2.2:80                  123456789       20        0 123456789        7"));
    }

    @Test
    void shouldListThresholdsWithTrailingSpaces() {
        RealServerConfig cfg = RealServerConfig.of(1, ForwardMethod.MASQ).withThresholds(100, 50);
        ServiceView s = svc(key(IpProto.TCP, "10.1.1.1", 80), ServiceConfig.persistent("rr", 360),
            dest("10.2.2.2", 80, cfg, 3, 12, 1));

        // title "%-33s %-10s %-10s %-10s %-10s"; rows "  -> %-28s %-10u %-10u %-10u %-10u"
        assertThat(one(new ThresholdsFormat(DisplayOptions.NUMERIC), s)).isEqualTo(lines(
            "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn ",
            "  -> RemoteAddress:Port",
            "TCP  10.1.1.1:80 rr persistent 360",
            "  -> 10.2.2.2:80                  100        50         3          12        "));
    }

    @Test
    void shouldListPersistentConnections() {
        ServiceView s = svc(key(IpProto.TCP, "10.1.1.1", 80), ServiceConfig.persistent("rr", 360),
            dest("10.2.2.2", 80, RealServerConfig.of(65535, ForwardMethod.ROUTE), 3, 12, 42));

        // title "%-33s %-9s %-11s %-10s %-10s"; rows "  -> %-28s %-9u %-11u %-10u %-10u"
        assertThat(one(new PersistentConnFormat(DisplayOptions.NUMERIC), s)).isEqualTo(lines(
            "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn ",
            "  -> RemoteAddress:Port",
            "TCP  10.1.1.1:80 rr persistent 360",
            "  -> 10.2.2.2:80                  65535     42          3          12        "));
    }

    @Test
    void shouldDescribeTunnelsInTunInfo() {
        ServiceView s = svc(key(IpProto.TCP, "10.1.1.1", 80), ServiceConfig.of("wlc"),
            dest("10.2.2.1", 80, RealServerConfig.of(1, ForwardMethod.TUNNEL), 0, 0, 0),
            dest("10.2.2.2", 80, new RealServerConfig(2, ForwardMethod.TUNNEL, TunnelType.GUE, 6080,
                TunnelChecksum.REMCSUM, 0, 0), 1, 0, 0),
            dest("10.2.2.3", 80, new RealServerConfig(3, ForwardMethod.TUNNEL, TunnelType.GRE, 0,
                TunnelChecksum.CSUM, 0, 0), 0, 4, 0),
            dest("10.2.2.4", 80, RealServerConfig.of(4, ForwardMethod.MASQ), 0, 0, 0));

        // rows "  -> %-28s %-7s %-13s %-6d %-10u %-10u"
        assertThat(one(new TunInfoFormat(DisplayOptions.NUMERIC), s)).isEqualTo(lines(
            "Prot LocalAddress:Port Scheduler Flags",
            "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn",
            "TCP  10.1.1.1:80 wlc",
            "  -> 10.2.2.1:80                  Tunnel  ipip          1      0          0         ",
            "  -> 10.2.2.2:80                  Tunnel  gue:6080:r+c  2      1          0         ",
            "  -> 10.2.2.3:80                  Tunnel  gre:+c        3      0          4         ",
            "  -> 10.2.2.4:80                  Masq    n/a           4      0          0         "));
    }
}
