package uvs.ctl.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;

class EngineViewsTest {
    private static final ServiceKey WEB = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);
    private static final IpAddress RS1 = IpAddress.parse("10.0.1.1");
    private static final IpAddress RS2 = IpAddress.parse("10.0.1.2");

    private static EngineView shard(int active1, int inact2, long conns, long inPkts, String client) {
        RealServerConfig cfg = RealServerConfig.of(1, ForwardMethod.ROUTE);
        DestView d1 = new DestView(RS1, 80, cfg, active1, 0, 1, StatsView.counters(conns, inPkts, 0, 0, 0));
        DestView d2 = new DestView(RS2, 80, cfg, 0, inact2, 0, StatsView.ZERO);
        ServiceView s = new ServiceView(WEB, ServiceConfig.of("wlc"), StatsView.counters(conns, inPkts, 0, 0, 0),
            List.of(d1, d2));
        ConnView c = new ConnView(IpProto.TCP, IpAddress.parse(client), 40000, WEB.address(), 80, RS1, 80,
            "ESTABLISHED", 900, 0, null, null);
        return new EngineView(4096, StatsView.counters(conns, inPkts, 0, 0, 0), new TimeoutView(900, 120, 300),
            List.of(s), List.of(c));
    }

    @Test
    void shouldAddUpCountersAndConnectionsOfEveryShard() {
        EngineView sum = EngineViews.merge(List.of(shard(3, 1, 10, 100, "192.0.2.1"), shard(4, 2, 5, 50, "192.0.2.2")));
        ServiceView s = sum.services().get(0);
        assertThat(s.stats().conns()).isEqualTo(15);
        assertThat(s.stats().inPkts()).isEqualTo(150);
        assertThat(s.dests()).extracting(DestView::address).containsExactly(RS1, RS2);
        assertThat(s.dests().get(0).activeConns()).isEqualTo(7);
        assertThat(s.dests().get(0).persistConns()).isEqualTo(2);
        assertThat(s.dests().get(1).inactConns()).isEqualTo(3);
        assertThat(sum.totals().conns()).isEqualTo(15);
        assertThat(sum.conns()).extracting(ConnView::caddr)
            .containsExactly(IpAddress.parse("192.0.2.1"), IpAddress.parse("192.0.2.2"));
        assertThat(sum.connTabSize()).isEqualTo(4096);
    }

    @Test
    void shouldReturnTheOnlyShardAsItIs() {
        EngineView one = shard(1, 0, 1, 1, "192.0.2.1");
        assertThat(EngineViews.merge(List.of(one))).isSameAs(one);
    }
}
