package uvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.core.PacketHeader.TCP_ACK;
import static uvs.core.PacketHeader.TCP_FIN;
import static uvs.core.PacketHeader.TCP_SYN;

import org.junit.jupiter.api.Test;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.time.Jiffies;

/** Persistence templates (spec §6) and the field-report scenarios around quiescent and removed servers. */
class EnginePersistenceTest extends EngineFixture {

    private int template(String client, int vport) {
        return t4().lookupTemplate(IpProto.TCP, 0, ip(client) & 0xffff_ffffL, 0, VIP.lo(), vport);
    }

    @Test
    void shouldSendSameClientToSameServerThroughTemplate() {
        service(HTTP, ServiceConfig.persistent("wlc", 360));
        RealServer rs1 = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        RealServer rs2 = addDest(HTTP, RS2, 80, 1, ForwardMethod.ROUTE);
        // list order is [RS2, RS1]; wlc keeps the first of equal loads -> RS2
        tcp("10.0.0.1", 1000, TCP_SYN);
        assertThat(d.dest).isSameAs(rs2);
        int ct = template("10.0.0.1", 80);
        assertThat(ct).isNotEqualTo(ConnTable.NONE);
        assertThat(t4().flags(ct) & ~ConnFlags.HASHED).isEqualTo(ConnFlags.TEMPLATE | ConnFlags.INACTIVE | ConnFlags.NOOUTPUT
            | ConnFlags.DROUTE);
        assertThat(t4().cport(ct)).isZero();
        assertThat(t4().dport(ct)).isEqualTo(80);
        assertThat(t4().timeout(ct)).isEqualTo(Jiffies.fromSeconds(360));
        assertThat(t4().nControl(ct)).isEqualTo(1);
        assertThat(t4().control(d.conn)).isEqualTo(ct);
        assertThat(rs2.persistConns()).isEqualTo(1);
        assertThat(rs2.activeConns()).isEqualTo(1);

        tcp("10.0.0.1", 1001, TCP_SYN);
        assertThat(d.dest).isSameAs(rs2);
        assertThat(t4().nControl(ct)).isEqualTo(2);
        assertThat(rs2.persistConns()).isEqualTo(1);

        // another client: RS2 has 2 active (overhead 512) -> RS1
        tcp("10.0.0.2", 1000, TCP_SYN);
        assertThat(d.dest).isSameAs(rs1);
        assertThat(engine.counters().templatesCreated()).isEqualTo(2);
    }

    @Test
    void shouldMaskClientAddressWithNetmask() {
        service(HTTP, ServiceConfig.persistent("wlc", 360).withNetmask(0xffff_ff00));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        RealServer rs2 = addDest(HTTP, RS2, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        tcp("10.0.0.77", 1000, TCP_SYN);
        assertThat(d.dest).isSameAs(rs2);
        assertThat(template("10.0.0.0", 80)).isNotEqualTo(ConnTable.NONE);
        assertThat(t4().size()).isEqualTo(3);
    }

    @Test
    void shouldRearmTemplateFor60sWhileItControlsConnections() {
        service(HTTP, ServiceConfig.persistent("wlc", 360));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        tcp("10.0.0.1", 1000, TCP_ACK);
        int ct = template("10.0.0.1", 80);
        // keep the connection established past the template's 360 s
        advance(300);
        tcp("10.0.0.1", 1000, TCP_ACK);
        advance(61);
        // t=361: the template fired while controlling -> kept with a permanent 60 s timeout
        assertThat(t4().isLive(ct)).isTrue();
        assertThat(t4().timeout(ct)).isEqualTo(Jiffies.fromSeconds(60));
        advance(89);
        // t=450: close; FIN_WAIT lasts 120 s -> the connection expires at 570
        tcp("10.0.0.1", 1000, TCP_FIN | TCP_ACK);
        advance(119);
        assertThat(t4().size()).isEqualTo(2);
        advance(2);
        // t=571: connection gone, template waits for its next firing (420, 480, 540, 600)
        assertThat(t4().size()).isEqualTo(1);
        assertThat(t4().nControl(ct)).isZero();
        advance(30);
        assertThat(t4().size()).isZero();
    }

    @Test
    void shouldMarkTemplateAssuredWhenConnectionEstablishes() {
        service(HTTP, ServiceConfig.persistent("wlc", 360));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        int ct = template("10.0.0.1", 80);
        assertThat(t4().state(ct)).isZero();
        tcp("10.0.0.1", 1000, TCP_ACK);
        assertThat(t4().state(ct)).isEqualTo(1);
    }

    @Test
    void shouldKeepSendingPersistentClientsToQuiescentServerByDefault() {
        service(HTTP, ServiceConfig.persistent("wlc", 360));
        RealServer rs1 = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        RealServer rs2 = addDest(HTTP, RS2, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        assertThat(d.dest).isSameAs(rs2);
        engine.editDest(HTTP, RS2, 80, RealServerConfig.of(0, ForwardMethod.ROUTE));

        // expire_quiescent_template = 0: the template still sends the client to weight-0 RS2
        tcp("10.0.0.1", 1001, TCP_SYN);
        assertThat(d.dest).isSameAs(rs2);
        // a new client goes elsewhere
        tcp("10.0.0.2", 1000, TCP_SYN);
        assertThat(d.dest).isSameAs(rs1);

        engine.setTunable("expire_quiescent_template", "1");
        tcp("10.0.0.1", 1002, TCP_SYN);
        assertThat(d.dest).isSameAs(rs1);
        assertThat(engine.counters().templatesInvalidated()).isEqualTo(1);
        // the invalidated template is unreachable but lives until it controls nothing and its timer fires
        assertThat(rs2.persistConns()).isEqualTo(1);
        assertThat(rs1.persistConns()).isEqualTo(2);
    }

    @Test
    void shouldDropPacketsOfRemovedServerWhenExpireNodestConnIsOff() {
        service(HTTP, ServiceConfig.of("wlc"));
        RealServer rs1 = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        tcp("10.0.0.1", 1000, TCP_ACK);
        int c = d.conn;
        engine.deleteDest(HTTP, RS1, 80);
        assertThat(engine.trashedDests()).containsExactly(rs1);

        assertThat(tcp("10.0.0.1", 1000, TCP_ACK).verdict).isEqualTo(Verdict.DROP);
        assertThat(d.dropReason).isEqualTo(DropReason.DEST_REMOVED);
        assertThat(t4().isLive(c)).isTrue();

        // re-adding the server revives the same object, counters and all; the flow resumes
        RealServer back = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        assertThat(back).isSameAs(rs1);
        assertThat(back.activeConns()).isEqualTo(1);
        assertThat(tcp("10.0.0.1", 1000, TCP_ACK).verdict).isEqualTo(Verdict.FORWARD);
        assertThat(d.conn).isEqualTo(c);
    }

    @Test
    void shouldFlushConnectionsOfRemovedServerWhenExpireNodestConnIsOn() {
        engine.setTunable("expire_nodest_conn", "1");
        service(HTTP, ServiceConfig.of("wlc"));
        RealServer rs1 = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        RealServer rs2 = addDest(HTTP, RS2, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        assertThat(d.dest).isSameAs(rs2);
        tcp("10.0.0.1", 1000, TCP_ACK);
        tcp("10.0.0.2", 1000, TCP_SYN);
        assertThat(d.dest).isSameAs(rs1);

        engine.deleteDest(HTTP, RS2, 80);
        assertThat(connCount()).isEqualTo(1);
        assertThat(rs2.activeConns()).isZero();
        // the client's next segment belongs to no connection; without sloppy_tcp it is not ours
        assertThat(tcp("10.0.0.1", 1000, TCP_ACK).verdict).isEqualTo(Verdict.NOT_OURS);
        // a new SYN is scheduled to the remaining server
        tcp("10.0.0.1", 1000, TCP_SYN);
        assertThat(d.dest).isSameAs(rs1);
        advance(DestRegistry.TRASH_PERIOD_SECONDS + 2);
        assertThat(engine.trashedDests()).isEmpty();
    }

    @Test
    void shouldRescheduleNewSynOfQuiescentServerWithExpireNodestConn() {
        engine.setTunable("expire_nodest_conn", "1");
        service(HTTP, ServiceConfig.of("wlc"));
        RealServer rs1 = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        RealServer rs2 = addDest(HTTP, RS2, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        assertThat(d.dest).isSameAs(rs2);
        engine.editDest(HTTP, RS2, 80, RealServerConfig.of(0, ForwardMethod.ROUTE));
        tcp("10.0.0.1", 1000, TCP_SYN);
        assertThat(d.dest).isSameAs(rs1);
        assertThat(engine.counters().connsRescheduled()).isEqualTo(1);
    }

    @Test
    void shouldKeyPortZeroServiceTemplateOnVportZero() {
        ServiceKey any = ServiceKey.of(IpProto.TCP, VIP, 0);
        service(any, ServiceConfig.persistent("rr", 360));
        RealServer rs = addDest(any, RS1, 0, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, VIP, 443, TCP_SYN);
        assertThat(d.dest).isSameAs(rs);
        assertThat(d.dport).isEqualTo(443);
        int ct = template("10.0.0.1", 0);
        assertThat(ct).isNotEqualTo(ConnTable.NONE);
        assertThat(t4().dport(ct)).isZero();
        tcp("10.0.0.1", 1001, VIP, 22, TCP_SYN);
        assertThat(t4().nControl(ct)).isEqualTo(2);
    }

    @Test
    void shouldRefuseNonPersistentPortZeroService() {
        ServiceKey any = ServiceKey.of(IpProto.TCP, VIP, 0);
        service(any, ServiceConfig.of("rr"));
        addDest(any, RS1, 0, 1, ForwardMethod.ROUTE);
        assertThat(tcp("10.0.0.1", 1000, VIP, 443, TCP_SYN).verdict).isEqualTo(Verdict.DROP);
        assertThat(d.dropReason).isEqualTo(DropReason.PORT_ZERO_NOT_PERSISTENT);
    }

    @Test
    void shouldKeyFwmarkTemplateOnProtocolZeroAndMark() {
        ServiceKey fwm = ServiceKey.fwmark(7, Af.INET);
        service(fwm, ServiceConfig.persistent("wlc", 360));
        RealServer rs = addDest(fwm, RS1, 0, 1, ForwardMethod.ROUTE);
        pkt.clear().ipv4(IpProto.TCP, ip("10.0.0.1"), 1000, VIP.v4(), 80);
        pkt.tcpFlags = TCP_SYN;
        pkt.fwmark = 7;
        engine.process(pkt, d);
        assertThat(d.dest).isSameAs(rs);
        assertThat(d.dport).isEqualTo(80);
        int ct = t4().lookupTemplate(IpProto.IP, 0, ip("10.0.0.1") & 0xffff_ffffL, 0, 7, 0);
        assertThat(ct).isNotEqualTo(ConnTable.NONE);
        assertThat(t4().fwmark(ct)).isEqualTo(7);
        // same client, another protocol and port of the same mark -> same template
        pkt.clear().ipv4(IpProto.UDP, ip("10.0.0.1"), 5000, IpAddress.parse("10.1.1.2").v4(), 53);
        pkt.fwmark = 7;
        engine.process(pkt, d);
        assertThat(t4().nControl(ct)).isEqualTo(2);
    }

    @Test
    void shouldCreateOnePacketConnectionsThatDoNotStay() {
        service(DNS, ServiceConfig.of("rr").withFlags(ServiceFlags.ONEPACKET));
        RealServer rs = addDest(DNS, RS1, 53, 1, ForwardMethod.ROUTE);
        for (int i = 0; i < 3; i++) {
            assertThat(udp("10.0.0.1", 5000, 53).verdict).isEqualTo(Verdict.FORWARD);
            assertThat(d.dest).isSameAs(rs);
            assertThat(d.conn).isEqualTo(ConnTable.NONE);
        }
        assertThat(connCount()).isZero();
        assertThat(rs.stats().conns()).isEqualTo(3);
        assertThat(rs.inactConns()).isZero();
    }

    @Test
    void shouldKeepTemplateOfPersistentOnePacketService() {
        service(DNS, ServiceConfig.persistent("rr", 60).withFlags(ServiceFlags.ONEPACKET | ServiceFlags.PERSISTENT));
        RealServer rs = addDest(DNS, RS1, 53, 1, ForwardMethod.ROUTE);
        udp("10.0.0.1", 5000, 53);
        udp("10.0.0.1", 5001, 53);
        assertThat(connCount()).isEqualTo(1);
        assertThat(rs.persistConns()).isEqualTo(1);
        advance(61);
        assertThat(connCount()).isZero();
    }
}
