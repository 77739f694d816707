package uvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uvs.core.PacketHeader.TCP_ACK;
import static uvs.core.PacketHeader.TCP_SYN;

import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;

/** ipvsadm-style control operations, their errors, thresholds, capacity and UDP accounting. */
class EngineControlTest extends EngineFixture {

    @Test
    void shouldRefuseDuplicateServiceInIpvsadmWordsAndChangeNothing() {
        service(HTTP, ServiceConfig.of("wlc"));
        assertThatThrownBy(() -> service(HTTP, ServiceConfig.of("rr")))
            .isInstanceOfSatisfying(IpvsException.class, e -> {
                assertThat(e.ipvsadmMessage()).isEqualTo("Service already exists");
                assertThat(e.errno()).isEqualTo(IpvsException.Errno.EEXIST);
            });
        assertThat(engine.services()).hasSize(1);
        assertThat(engine.service(HTTP).config().scheduler()).isEqualTo("wlc");
    }

    @Test
    void shouldRefuseUnknownScheduler() {
        assertThatThrownBy(() -> service(HTTP, ServiceConfig.of("nope")))
            .isInstanceOfSatisfying(IpvsException.class,
                e -> assertThat(e.ipvsadmMessage()).isEqualTo("Scheduler or persistence engine not found"));
        assertThat(engine.services()).isEmpty();
    }

    @Test
    void shouldReportMissingServiceAndDestinationPerOperation() {
        assertThatThrownBy(() -> engine.deleteService(HTTP))
            .hasMessageStartingWith("No such service");
        assertThatThrownBy(() -> engine.editService(HTTP, ServiceConfig.of("rr")))
            .hasMessageStartingWith("No such service");
        assertThatThrownBy(() -> addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE))
            .hasMessageStartingWith("Service not defined");
        service(HTTP, ServiceConfig.of("wlc"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        assertThatThrownBy(() -> addDest(HTTP, RS1, 80, 2, ForwardMethod.ROUTE))
            .hasMessageStartingWith("Destination already exists");
        assertThatThrownBy(() -> engine.editDest(HTTP, RS2, 80, RealServerConfig.defaults()))
            .hasMessageStartingWith("No such destination");
        assertThatThrownBy(() -> engine.deleteDest(HTTP, RS2, 80))
            .hasMessageStartingWith("No such destination");
        assertThat(engine.service(HTTP).dests()).hasSize(1);
        assertThat(engine.service(HTTP).dests()[0].weight()).isEqualTo(1);
    }

    @Test
    void shouldRefuseBadRealServerParametersWithoutChangingTheServer() {
        service(HTTP, ServiceConfig.of("wlc"));
        RealServer rs = addDest(HTTP, RS1, 80, 3, ForwardMethod.ROUTE);
        RealServerConfig badThresholds = RealServerConfig.of(5, ForwardMethod.MASQ).withThresholds(10, 20);
        assertThatThrownBy(() -> engine.editDest(HTTP, RS1, 80, badThresholds))
            .isInstanceOfSatisfying(IpvsException.class, e -> assertThat(e.errno()).isEqualTo(IpvsException.Errno.ERANGE));
        assertThatThrownBy(() -> engine.editDest(HTTP, RS1, 80, RealServerConfig.of(-1, ForwardMethod.ROUTE)))
            .hasMessageContaining("weight");
        RealServerConfig gueNoPort = new RealServerConfig(1, ForwardMethod.TUNNEL, TunnelType.GUE, 0,
            TunnelChecksum.NOCSUM, 0, 0);
        assertThatThrownBy(() -> engine.editDest(HTTP, RS1, 80, gueNoPort)).hasMessageContaining("GUE");
        assertThatThrownBy(() -> addDest(HTTP, IpAddress.parse("2001:db8::1"), 80, 1, ForwardMethod.ROUTE))
            .isInstanceOfSatisfying(IpvsException.class,
                e -> assertThat(e.errno()).isEqualTo(IpvsException.Errno.EAFNOSUPPORT));
        assertThat(rs.weight()).isEqualTo(3);
        assertThat(rs.forward()).isEqualTo(ForwardMethod.ROUTE);
        assertThat(engine.service(HTTP).dests()).hasSize(1);
    }

    @Test
    void shouldRefuseBadServiceParameters() {
        ServiceKey v6 = ServiceKey.of(IpProto.TCP, IpAddress.parse("2001:db8::80"), 80);
        assertThatThrownBy(() -> service(v6, ServiceConfig.persistent("wlc", 360).withNetmask(129)))
            .hasMessageContaining("prefix length 129");
        assertThatThrownBy(() -> service(HTTP, ServiceConfig.persistent("wlc", 0)))
            .hasMessageContaining("persistent timeout 0");
        assertThatThrownBy(() -> service(HTTP, ServiceConfig.of("wlc").withPe("rtsp")))
            .hasMessageStartingWith("Scheduler or persistence engine not found");
        assertThat(engine.services()).isEmpty();
    }

    @Test
    void shouldInsertNewRealServersAtTheHeadOfTheList() {
        service(HTTP, ServiceConfig.of("rr"));
        RealServer a = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        RealServer b = addDest(HTTP, RS2, 80, 1, ForwardMethod.ROUTE);
        RealServer c = addDest(HTTP, RS3, 80, 1, ForwardMethod.ROUTE);
        assertThat(engine.service(HTTP).dests()).containsExactly(c, b, a);
    }

    @Test
    void shouldChangeSchedulerOnEdit() {
        service(HTTP, ServiceConfig.of("rr"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        RealServer b = addDest(HTTP, RS2, 80, 5, ForwardMethod.ROUTE);
        engine.editService(HTTP, ServiceConfig.of("fo"));
        assertThat(engine.service(HTTP).scheduler().name()).isEqualTo("fo");
        tcp("10.0.0.1", 1000, TCP_SYN);
        assertThat(d.dest).isSameAs(b);
    }

    @Test
    void shouldSetAndClearOverloadByThresholds() {
        service(HTTP, ServiceConfig.of("rr"));
        RealServer rs = engine.addDest(HTTP, RS1, 80, RealServerConfig.of(1, ForwardMethod.ROUTE).withThresholds(2, 1));
        tcp("10.0.0.1", 1000, TCP_SYN);
        advance(10);
        tcp("10.0.0.2", 1000, TCP_SYN);
        assertThat(rs.isOverloaded()).isTrue();
        assertThat(tcp("10.0.0.3", 1000, TCP_SYN).verdict).isEqualTo(Verdict.ICMP_UNREACHABLE);
        // first SYN_RECV (60 s) expires: total 1, not below the lower threshold 1
        advance(51);
        assertThat(rs.inactConns() + rs.activeConns()).isEqualTo(1);
        assertThat(rs.isOverloaded()).isTrue();
        advance(10);
        assertThat(rs.isOverloaded()).isFalse();
        assertThat(tcp("10.0.0.3", 1000, TCP_SYN).verdict).isEqualTo(Verdict.FORWARD);
    }

    @Test
    void shouldClearOverloadAtThreeQuartersWithoutLowerThreshold() {
        service(HTTP, ServiceConfig.of("rr"));
        RealServer rs = engine.addDest(HTTP, RS1, 80, RealServerConfig.of(1, ForwardMethod.ROUTE).withThresholds(4, 0));
        for (int i = 0; i < 4; i++) {
            tcp("10.0.0." + (i + 1), 1000, TCP_SYN);
            advance(1);
        }
        assertThat(rs.isOverloaded()).isTrue();
        // 3 left: 3*4 < 4*3 is false -> still overloaded; 2 left: 8 < 12 -> cleared
        advance(56);
        assertThat(rs.activeConns()).isEqualTo(3);
        assertThat(rs.isOverloaded()).isTrue();
        advance(1);
        assertThat(rs.activeConns()).isEqualTo(2);
        assertThat(rs.isOverloaded()).isFalse();
    }

    @Test
    void shouldRefuseNewConnectionsWhenTableIsFullAndKeepExistingOnes() {
        EngineFixture small = new EngineFixture(EngineConfig.defaults().withCapacity(4, 4));
        small.service(HTTP, ServiceConfig.of("rr"));
        small.addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        for (int i = 1; i <= 4; i++) {
            assertThat(small.tcp("10.0.0." + i, 1000, TCP_SYN).verdict).isEqualTo(Verdict.FORWARD);
        }
        assertThat(small.tcp("10.0.0.5", 1000, TCP_SYN).verdict).isEqualTo(Verdict.DROP);
        assertThat(small.d.dropReason).isEqualTo(DropReason.CONN_TABLE_FULL);
        assertThat(small.engine.counters().drops(DropReason.CONN_TABLE_FULL)).isEqualTo(1);
        for (int i = 1; i <= 4; i++) {
            assertThat(small.tcp("10.0.0." + i, 1000, TCP_ACK).verdict).isEqualTo(Verdict.FORWARD);
            assertThat(small.d.newConnection).isFalse();
        }
        assertThat(small.engine.service(HTTP).dests()[0].activeConns()).isEqualTo(4);
    }

    @Test
    void shouldCountUdpConnectionsAsInactive() {
        service(DNS, ServiceConfig.of("rr"));
        RealServer rs = addDest(DNS, RS1, 53, 1, ForwardMethod.MASQ);
        udp("10.0.0.1", 5000, 53);
        udp("10.0.0.1", 5000, 53);
        assertThat(connCount()).isEqualTo(1);
        assertThat(rs.activeConns()).isZero();
        assertThat(rs.inactConns()).isEqualTo(1);
        advance(299);
        assertThat(connCount()).isEqualTo(1);
        advance(2);
        assertThat(connCount()).isZero();
    }

    @Test
    void shouldZeroStatisticsOfOneServiceOrAll() {
        service(HTTP, ServiceConfig.of("rr"));
        RealServer rs = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        engine.zero(HTTP);
        assertThat(rs.stats().conns()).isZero();
        assertThat(engine.service(HTTP).stats().inPkts()).isZero();
        assertThat(engine.totalStats().conns()).isEqualTo(1);
        engine.zero(null);
        assertThat(engine.totalStats().conns()).isZero();
        assertThatThrownBy(() -> engine.zero(DNS)).hasMessageStartingWith("No such service");
    }

    @Test
    void shouldEstimateRatesEveryTwoSeconds() {
        service(HTTP, ServiceConfig.of("rr"));
        RealServer rs = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        for (int i = 0; i < 1000; i++) {
            tcp("10.0.%d.%d".formatted(i / 250, i % 250 + 1), 1000, TCP_SYN);
        }
        advance(2);
        // 1000 conns in 2 s: avg = (1000 << 9) >> 2 = 128000; cps = (128000 + 511) >> 10 = 125
        assertThat(rs.stats().cps()).isEqualTo(125);
        assertThat(engine.totalStats().cps()).isEqualTo(125);
    }
}
