package uvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.core.PacketHeader.TCP_ACK;
import static uvs.core.PacketHeader.TCP_FIN;
import static uvs.core.PacketHeader.TCP_RST;
import static uvs.core.PacketHeader.TCP_SYN;

import org.junit.jupiter.api.Test;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.proto.TcpState;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceConfig;
import uvs.time.Jiffies;

/** TCP connections through the engine: state machine, counters, timeouts, sloppy creation, reuse. */
class EngineTcpFlowTest extends EngineFixture {

    @Test
    void shouldTrackDirectRoutingFlowThroughItsStates() {
        service(HTTP, ServiceConfig.of("wlc"));
        RealServer rs = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);

        assertThat(tcp("10.0.0.1", 1000, TCP_SYN).verdict).isEqualTo(Verdict.FORWARD);
        assertThat(d.dest).isSameAs(rs);
        assertThat(d.newConnection).isTrue();
        assertThat(d.connFlags & ConnFlags.FWD_MASK).isEqualTo(ConnFlags.DROUTE);
        assertThat(d.connFlags & ConnFlags.NOOUTPUT).isEqualTo(ConnFlags.NOOUTPUT);
        int c = d.conn;
        // INPUT-ONLY table: NONE + syn -> SYN_RECV (active, 60 s)
        assertThat(t4().state(c)).isEqualTo(TcpState.SYN_RECV);
        assertThat(t4().timeout(c)).isEqualTo(Jiffies.fromSeconds(60));
        assertThat(rs.activeConns()).isEqualTo(1);
        assertThat(rs.inactConns()).isZero();

        tcp("10.0.0.1", 1000, TCP_ACK);
        assertThat(d.conn).isEqualTo(c);
        assertThat(d.newConnection).isFalse();
        assertThat(t4().state(c)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(t4().timeout(c)).isEqualTo(Jiffies.fromSeconds(900));

        // FIN+ACK is a "fin" event; INPUT-ONLY ES + fin -> FIN_WAIT (inactive, 120 s)
        tcp("10.0.0.1", 1000, TCP_FIN | TCP_ACK);
        assertThat(t4().state(c)).isEqualTo(TcpState.FIN_WAIT);
        assertThat(rs.activeConns()).isZero();
        assertThat(rs.inactConns()).isEqualTo(1);
        assertThat(t4().flags(c) & ConnFlags.INACTIVE).isEqualTo(ConnFlags.INACTIVE);

        advance(119);
        assertThat(connCount()).isEqualTo(1);
        advance(2);
        assertThat(connCount()).isZero();
        assertThat(rs.inactConns()).isZero();
        assertThat(rs.refs()).isZero();
        assertThat(rs.stats().conns()).isEqualTo(1);
        assertThat(rs.stats().inPkts()).isEqualTo(3);
        assertThat(rs.stats().inBytes()).isEqualTo(180);
    }

    @Test
    void shouldTranslateNatRepliesAndRunTheOutputTable() {
        service(HTTP, ServiceConfig.of("rr"));
        RealServer rs = addDest(HTTP, RS1, 8080, 1, ForwardMethod.MASQ);

        tcp("10.0.0.1", 1000, TCP_SYN);
        int c = d.conn;
        assertThat(d.dport).isEqualTo(8080);
        assertThat(d.connFlags & (ConnFlags.FWD_MASK | ConnFlags.NOOUTPUT)).isEqualTo(ConnFlags.MASQ);
        assertThat(t4().state(c)).isEqualTo(TcpState.SYN_RECV);

        assertThat(tcpReply(RS1, 8080, "10.0.0.1", 1000, TCP_SYN | TCP_ACK).verdict).isEqualTo(Verdict.FORWARD_REPLY);
        assertThat(d.conn).isEqualTo(c);
        assertThat(d.vaddrLo).isEqualTo(VIP.lo());
        assertThat(d.vport).isEqualTo(80);
        assertThat(t4().state(c)).isEqualTo(TcpState.SYN_RECV);

        tcp("10.0.0.1", 1000, TCP_ACK);
        assertThat(t4().state(c)).isEqualTo(TcpState.ESTABLISHED);
        // INPUT ES + fin -> CLOSE_WAIT; then OUTPUT CW + fin -> TIME_WAIT
        tcp("10.0.0.1", 1000, TCP_FIN | TCP_ACK);
        assertThat(t4().state(c)).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(rs.inactConns()).isEqualTo(1);
        tcpReply(RS1, 8080, "10.0.0.1", 1000, TCP_FIN | TCP_ACK);
        assertThat(t4().state(c)).isEqualTo(TcpState.TIME_WAIT);
        assertThat(rs.stats().outPkts()).isEqualTo(2);
        assertThat(engine.totalStats().outPkts()).isEqualTo(2);
    }

    @Test
    void shouldClearNoOutputOnFirstReplyOfDirectRoutingConnection() {
        service(HTTP, ServiceConfig.of("rr"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        int c = d.conn;
        tcpReply(RS1, 80, "10.0.0.1", 1000, TCP_SYN | TCP_ACK);
        assertThat(t4().flags(c) & ConnFlags.NOOUTPUT).isZero();
    }

    @Test
    void shouldNotCreateConnectionFromMidStreamPacketUnlessSloppy() {
        service(HTTP, ServiceConfig.of("wlc"));
        RealServer rs = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);

        assertThat(tcp("10.0.0.1", 1000, TCP_ACK).verdict).isEqualTo(Verdict.NOT_OURS);
        assertThat(connCount()).isZero();

        engine.setTunable("sloppy_tcp", "1");
        assertThat(tcp("10.0.0.1", 1000, TCP_ACK).verdict).isEqualTo(Verdict.FORWARD);
        // INPUT-ONLY NONE + ack -> ESTABLISHED
        assertThat(t4().state(d.conn)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(rs.activeConns()).isEqualTo(1);
        // RST never creates a connection, sloppy or not
        assertThat(tcp("10.0.0.2", 1000, TCP_RST).verdict).isEqualTo(Verdict.NOT_OURS);
    }

    @Test
    void shouldLetPacketsForNoServicePass() {
        service(HTTP, ServiceConfig.of("wlc"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        assertThat(tcp("10.0.0.1", 1000, VIP, 443, TCP_SYN).verdict).isEqualTo(Verdict.NOT_OURS);
        assertThat(engine.counters().notOurs()).isEqualTo(1);
    }

    @Test
    void shouldAnswerIcmpWhenNoRealServerIsAvailable() {
        service(HTTP, ServiceConfig.of("wlc"));
        addDest(HTTP, RS1, 80, 0, ForwardMethod.ROUTE);
        assertThat(tcp("10.0.0.1", 1000, TCP_SYN).verdict).isEqualTo(Verdict.ICMP_UNREACHABLE);
        assertThat(engine.counters().drops(DropReason.NO_DESTINATION)).isEqualTo(1);
        assertThat(connCount()).isZero();
    }

    @Test
    void shouldRescheduleSynOnClosedConnectionWithConnReuseMode() {
        service(HTTP, ServiceConfig.of("rr"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        tcp("10.0.0.1", 1000, TCP_ACK);
        tcp("10.0.0.1", 1000, TCP_RST);
        int old = d.conn;
        assertThat(t4().state(old)).isEqualTo(TcpState.CLOSE);

        tcp("10.0.0.1", 1000, TCP_SYN);
        assertThat(d.newConnection).isTrue();
        assertThat(engine.counters().connsRescheduled()).isEqualTo(1);
        assertThat(connCount()).isEqualTo(1);
        assertThat(t4().state(d.conn)).isEqualTo(TcpState.SYN_RECV);
    }

    @Test
    void shouldReuseClosedConnectionWhenConnReuseModeIsZero() {
        engine.setTunable("conn_reuse_mode", "0");
        service(HTTP, ServiceConfig.of("rr"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        tcp("10.0.0.1", 1000, TCP_RST);
        int old = d.conn;
        tcp("10.0.0.1", 1000, TCP_SYN);
        assertThat(d.newConnection).isFalse();
        assertThat(d.conn).isEqualTo(old);
        // INPUT-ONLY CLOSE + syn -> SYN_RECV
        assertThat(t4().state(old)).isEqualTo(TcpState.SYN_RECV);
    }

    @Test
    void shouldPickUpChangedTimeoutAtNextPacket() {
        service(HTTP, ServiceConfig.of("rr"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        tcp("10.0.0.1", 1000, TCP_ACK);
        int c = d.conn;
        engine.setTimeouts(100, 0, 0);
        assertThat(t4().timeout(c)).isEqualTo(Jiffies.fromSeconds(900));
        tcp("10.0.0.1", 1000, TCP_ACK);
        assertThat(t4().timeout(c)).isEqualTo(Jiffies.fromSeconds(100));
        advance(101);
        assertThat(t4().isLive(c)).isFalse();
        assertThat(connCount()).isZero();
    }

    @Test
    void shouldKeepEstablishedConnectionAliveWhilePacketsArrive() {
        service(HTTP, ServiceConfig.of("rr"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        tcp("10.0.0.1", 1000, TCP_ACK);
        int c = d.conn;
        for (int i = 0; i < 5; i++) {
            advance(800);
            tcp("10.0.0.1", 1000, TCP_ACK);
            assertThat(d.conn).isEqualTo(c);
        }
        advance(901);
        assertThat(connCount()).isZero();
        assertThat(t4().next(0)).isEqualTo(ConnTable.NONE);
    }
}
