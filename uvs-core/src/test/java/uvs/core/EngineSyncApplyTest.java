package uvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.core.PacketHeader.TCP_ACK;
import static uvs.core.PacketHeader.TCP_FIN;

import org.junit.jupiter.api.Test;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceConfig;
import uvs.time.Jiffies;

/** The backup's handling of received sync entries (spec §3) and taking over their traffic. */
class EngineSyncApplyTest extends EngineFixture {
    private final SyncUpdate u = new SyncUpdate();

    private SyncUpdate conn(String client, int cport, IpAddress rs, int state, int flags, int timeout) {
        u.af = Af.INET;
        u.protocol = IpProto.TCP;
        u.caddrHi = 0;
        u.caddrLo = ip(client) & 0xffff_ffffL;
        u.cport = cport;
        u.vaddrHi = 0;
        u.vaddrLo = VIP.lo();
        u.vport = 80;
        u.daddrHi = 0;
        u.daddrLo = rs.lo();
        u.dport = 80;
        u.state = state;
        u.flags = flags;
        u.timeoutSeconds = timeout;
        u.expiresInMillis = -1;
        u.fwmark = 0;
        return u;
    }

    @Test
    void shouldCreateSyncedConnectionBoundToLocalServerWithLocalMethod() {
        service(HTTP, ServiceConfig.of("wlc"));
        RealServer rs = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        // the master used NAT; the backup's real server is DR: the local method wins
        assertThat(engine.applySync(conn("10.0.0.1", 1000, RS1, TcpState.ESTABLISHED, ConnFlags.MASQ, 900)))
            .isEqualTo(SyncUpdate.Result.CREATED);
        int c = find("10.0.0.1", 1000, 80);
        int flags = t4().flags(c);
        assertThat(flags & ConnFlags.SYNC).isEqualTo(ConnFlags.SYNC);
        assertThat(flags & ConnFlags.FWD_MASK).isEqualTo(ConnFlags.DROUTE);
        assertThat(flags & ConnFlags.NOOUTPUT).isEqualTo(ConnFlags.NOOUTPUT);
        assertThat(flags & ConnFlags.INACTIVE).isZero();
        assertThat(rs.activeConns()).isEqualTo(1);
        assertThat(t4().state(c)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(t4().inPkts(c)).isEqualTo(3);
        assertThat(t4().timeout(c)).isEqualTo(Jiffies.fromSeconds(900));
        assertThat(rs.stats().conns()).isZero();
        advance(899);
        assertThat(connCount()).isEqualTo(1);
        advance(2);
        assertThat(connCount()).isZero();
        assertThat(rs.activeConns()).isZero();
    }

    @Test
    void shouldArmForTheMastersTimeLeftWhenTheEntryCarriesItAndKeepTheFullTimeout() {
        service(HTTP, ServiceConfig.of("wlc"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        SyncUpdate e = conn("10.0.0.1", 1000, RS1, TcpState.ESTABLISHED, ConnFlags.DROUTE, 900);
        e.expiresInMillis = 30_000;
        engine.applySync(e);
        int c = find("10.0.0.1", 1000, 80);
        // the full state timeout stays for the packets after a take-over
        assertThat(t4().timeout(c)).isEqualTo(Jiffies.fromSeconds(900));
        advance(29);
        assertThat(connCount()).isEqualTo(1);
        // a later update moves the expiry either way: earlier ...
        e.expiresInMillis = 500;
        engine.applySync(e);
        advance(1);
        assertThat(connCount()).isZero();
        // ... or later
        e.expiresInMillis = 10_000;
        engine.applySync(e);
        e.expiresInMillis = 60_000;
        engine.applySync(e);
        advance(59);
        assertThat(connCount()).isEqualTo(1);
        advance(2);
        assertThat(connCount()).isZero();
    }

    @Test
    void shouldForwardSyncedConnectionAfterTakeOver() {
        service(HTTP, ServiceConfig.of("wlc"));
        RealServer rs1 = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        addDest(HTTP, RS2, 80, 1, ForwardMethod.ROUTE);
        engine.applySync(conn("10.0.0.1", 1000, RS1, TcpState.ESTABLISHED, ConnFlags.DROUTE, 900));
        // mid-stream packet, no sloppy_tcp: it must follow the synced connection to RS1
        assertThat(tcp("10.0.0.1", 1000, TCP_ACK).verdict).isEqualTo(Verdict.FORWARD);
        assertThat(d.dest).isSameAs(rs1);
        assertThat(d.newConnection).isFalse();
        tcp("10.0.0.1", 1000, TCP_FIN | TCP_ACK);
        assertThat(t4().state(d.conn)).isEqualTo(TcpState.FIN_WAIT);
        assertThat(rs1.inactConns()).isEqualTo(1);
    }

    @Test
    void shouldKeepUnboundConnectionWhenBackupHasNoSuchServer() {
        service(HTTP, ServiceConfig.of("wlc"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        engine.applySync(conn("10.0.0.1", 1000, RS3, TcpState.ESTABLISHED, ConnFlags.DROUTE, 900));
        int c = find("10.0.0.1", 1000, 80);
        assertThat(engine.destOf(t4(), c)).isNull();
        // still handled: forwarded with the message's method to the message's real server
        assertThat(tcp("10.0.0.1", 1000, TCP_ACK).verdict).isEqualTo(Verdict.FORWARD);
        assertThat(d.daddrLo).isEqualTo(RS3.lo());
        // adding the server later binds it at the next message
        RealServer rs3 = addDest(HTTP, RS3, 80, 1, ForwardMethod.ROUTE);
        engine.applySync(conn("10.0.0.1", 1000, RS3, TcpState.ESTABLISHED, ConnFlags.DROUTE, 900));
        assertThat(engine.destOf(t4(), c)).isSameAs(rs3);
        assertThat(rs3.activeConns()).isEqualTo(1);
    }

    @Test
    void shouldMoveCountersWhenInactiveBitChanges() {
        service(HTTP, ServiceConfig.of("wlc"));
        RealServer rs = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        engine.applySync(conn("10.0.0.1", 1000, RS1, TcpState.ESTABLISHED, ConnFlags.DROUTE, 900));
        assertThat(engine.applySync(conn("10.0.0.1", 1000, RS1, TcpState.FIN_WAIT,
            ConnFlags.DROUTE | ConnFlags.INACTIVE, 120))).isEqualTo(SyncUpdate.Result.UPDATED);
        assertThat(rs.activeConns()).isZero();
        assertThat(rs.inactConns()).isEqualTo(1);
        int c = find("10.0.0.1", 1000, 80);
        assertThat(t4().state(c)).isEqualTo(TcpState.FIN_WAIT);
        assertThat(t4().oldState(c)).isEqualTo(TcpState.FIN_WAIT);
        assertThat(t4().timeout(c)).isEqualTo(Jiffies.fromSeconds(120));
    }

    @Test
    void shouldReplaceConnectionThatMovedToAnotherServerButIgnoreStaleExpiryNotice() {
        service(HTTP, ServiceConfig.of("wlc"));
        RealServer rs1 = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        RealServer rs2 = addDest(HTTP, RS2, 80, 1, ForwardMethod.ROUTE);
        engine.applySync(conn("10.0.0.1", 1000, RS1, TcpState.ESTABLISHED, ConnFlags.DROUTE, 900));
        assertThat(engine.applySync(conn("10.0.0.1", 1000, RS2, TcpState.CLOSE,
            ConnFlags.DROUTE | ConnFlags.INACTIVE, 10))).isEqualTo(SyncUpdate.Result.IGNORED_STALE);
        assertThat(rs1.activeConns()).isEqualTo(1);
        assertThat(engine.applySync(conn("10.0.0.1", 1000, RS2, TcpState.ESTABLISHED, ConnFlags.DROUTE, 900)))
            .isEqualTo(SyncUpdate.Result.REPLACED);
        assertThat(rs1.activeConns()).isZero();
        assertThat(rs2.activeConns()).isEqualTo(1);
        assertThat(connCount()).isEqualTo(1);
    }

    @Test
    void shouldCreateTemplateWith180sWhenMessageHasNoTimeout() {
        service(HTTP, ServiceConfig.persistent("wlc", 360));
        RealServer rs = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        conn("10.0.0.1", 0, RS1, 1, ConnFlags.TEMPLATE | ConnFlags.INACTIVE | ConnFlags.DROUTE, 0);
        assertThat(engine.applySync(u)).isEqualTo(SyncUpdate.Result.CREATED);
        int ct = t4().lookupTemplate(IpProto.TCP, 0, ip("10.0.0.1") & 0xffff_ffffL, 0, VIP.lo(), 80);
        assertThat(t4().timeout(ct)).isEqualTo(Jiffies.fromSeconds(180));
        assertThat(rs.persistConns()).isEqualTo(1);
        assertThat(rs.activeConns() + rs.inactConns()).isZero();
        // a new connection of that client after take-over uses the synced template
        addDest(HTTP, RS2, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 2000, PacketHeader.TCP_SYN);
        assertThat(d.dest).isSameAs(rs);
    }

    @Test
    void shouldNeverShortenATemplateByAnOlderTimeLeft() {
        service(HTTP, ServiceConfig.persistent("wlc", 360));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        conn("10.0.0.1", 0, RS1, 1, ConnFlags.TEMPLATE | ConnFlags.INACTIVE | ConnFlags.DROUTE, 360);
        u.expiresInMillis = 300_000;
        engine.applySync(u);
        // a retransmission of an earlier message: the master's template expired sooner then
        u.expiresInMillis = 100_000;
        assertThat(engine.applySync(u)).isEqualTo(SyncUpdate.Result.UPDATED);
        advance(299);
        assertThat(t4().lookupTemplate(IpProto.TCP, 0, ip("10.0.0.1") & 0xffff_ffffL, 0, VIP.lo(), 80))
            .isNotEqualTo(ConnTable.NONE);
        advance(2);
        assertThat(connCount()).isZero();
    }
}
