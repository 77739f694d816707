package uvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.core.PacketHeader.TCP_ACK;
import static uvs.core.PacketHeader.TCP_RST;
import static uvs.core.PacketHeader.TCP_SYN;

import org.junit.jupiter.api.Test;
import uvs.core.net.IpProto;
import uvs.core.proto.TcpState;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceConfig;

/** ICMP errors about connections and the tunables that act on the packet path. */
class EngineIcmpAndTunablesTest extends EngineFixture {
    private final PacketHeader embedded = new PacketHeader();

    private Decision icmp(int direction) {
        return engine.processIcmpError(embedded, direction, new Decision());
    }

    @Test
    void shouldRelayClientSideIcmpErrorToTheConnectionsRealServer() {
        service(HTTP, ServiceConfig.of("rr"));
        RealServer rs = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        tcp("10.0.0.1", 1000, TCP_SYN);
        int c = d.conn;
        // quoted packet: VIP:80 -> client:1000 (as the real server sent it)
        embedded.clear().ipv4(IpProto.TCP, VIP.v4(), 80, ip("10.0.0.1"), 1000);
        Decision r = icmp(PacketHeader.DIR_INPUT);
        assertThat(r.verdict).isEqualTo(Verdict.FORWARD);
        assertThat(r.conn).isEqualTo(c);
        assertThat(r.dest).isSameAs(rs);
    }

    @Test
    void shouldTranslateRealServerIcmpErrorOfNatConnection() {
        service(HTTP, ServiceConfig.of("rr"));
        addDest(HTTP, RS1, 8080, 1, ForwardMethod.MASQ);
        tcp("10.0.0.1", 1000, TCP_SYN);
        // quoted packet: client:1000 -> RS1:8080 (as the director forwarded it)
        embedded.clear().ipv4(IpProto.TCP, ip("10.0.0.1"), 1000, RS1.v4(), 8080);
        Decision r = icmp(PacketHeader.DIR_OUTPUT);
        assertThat(r.verdict).isEqualTo(Verdict.FORWARD_REPLY);
        assertThat(r.vaddrLo).isEqualTo(VIP.lo());
        assertThat(r.vport).isEqualTo(80);
    }

    @Test
    void shouldScheduleFromIcmpErrorOnlyWithScheduleIcmp() {
        service(HTTP, ServiceConfig.of("rr"));
        RealServer rs = addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        embedded.clear().ipv4(IpProto.TCP, VIP.v4(), 80, ip("10.0.0.9"), 2000);
        assertThat(icmp(PacketHeader.DIR_INPUT).verdict).isEqualTo(Verdict.NOT_OURS);
        engine.setTunable("schedule_icmp", "1");
        Decision r = icmp(PacketHeader.DIR_INPUT);
        assertThat(r.verdict).isEqualTo(Verdict.FORWARD);
        assertThat(r.newConnection).isTrue();
        assertThat(r.dest).isSameAs(rs);
        assertThat(find("10.0.0.9", 2000, 80)).isEqualTo(r.conn);
    }

    @Test
    void shouldAnswerStrayNatReplyWithIcmpOnlyWithNatIcmpSend() {
        service(HTTP, ServiceConfig.of("rr"));
        addDest(HTTP, RS1, 8080, 1, ForwardMethod.MASQ);
        assertThat(tcpReply(RS1, 8080, "10.0.0.1", 1000, TCP_ACK).verdict).isEqualTo(Verdict.NOT_OURS);
        engine.setTunable("nat_icmp_send", "1");
        assertThat(tcpReply(RS1, 8080, "10.0.0.1", 1000, TCP_ACK).verdict).isEqualTo(Verdict.ICMP_UNREACHABLE);
        assertThat(d.dropReason).isEqualTo(DropReason.NO_CONNECTION);
        // a reset is never answered, and a port that is no real service is not ours
        assertThat(tcpReply(RS1, 8080, "10.0.0.1", 1000, TCP_RST).verdict).isEqualTo(Verdict.NOT_OURS);
        assertThat(tcpReply(RS1, 9999, "10.0.0.1", 1000, TCP_ACK).verdict).isEqualTo(Verdict.NOT_OURS);
    }

    @Test
    void shouldStandAsideWithBackupOnlyWhileBackupRuns() {
        service(HTTP, ServiceConfig.of("rr"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        engine.setTunable("backup_only", "1");
        assertThat(tcp("10.0.0.1", 1000, TCP_SYN).verdict).isEqualTo(Verdict.FORWARD);
        engine.backupRunning(true);
        assertThat(tcp("10.0.0.2", 1000, TCP_SYN).verdict).isEqualTo(Verdict.NOT_OURS);
        engine.backupRunning(false);
        assertThat(tcp("10.0.0.2", 1000, TCP_SYN).verdict).isEqualTo(Verdict.FORWARD);
    }

    @Test
    void shouldUseSecureTcpTableInMode3() {
        service(HTTP, ServiceConfig.of("rr"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.MASQ);
        engine.setTunable("secure_tcp", "3");
        tcp("10.0.0.1", 1000, TCP_SYN);
        int c = d.conn;
        // secure table, INPUT SYN_RECV + ack stays SYN_RECV (normal table: ESTABLISHED)
        tcp("10.0.0.1", 1000, TCP_ACK);
        assertThat(t4().state(c)).isEqualTo(TcpState.SYN_RECV);
        engine.setTunable("secure_tcp", "0");
        tcp("10.0.0.1", 1000, TCP_ACK);
        assertThat(t4().state(c)).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void shouldDropEveryNthNewConnectionPacketWithDropPacketMode3() {
        service(HTTP, ServiceConfig.of("rr"));
        addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        engine.setTunable("am_droprate", "4");
        engine.setTunable("drop_packet", "3");
        int dropped = 0;
        for (int i = 1; i <= 20; i++) {
            if (tcp("10.0.0." + i, 1000, TCP_SYN).verdict == Verdict.DROP) {
                assertThat(d.dropReason).isEqualTo(DropReason.DROP_PACKET_DEFENSE);
                dropped++;
            }
        }
        // the counter starts at 0, so the 1st, 5th, 9th, 13th and 17th are dropped
        assertThat(dropped).isEqualTo(5);
        assertThat(tcp("10.0.0.1", 1000, TCP_ACK).verdict).isEqualTo(Verdict.NOT_OURS);
        // packets of existing connections are never dropped by it
        assertThat(tcp("10.0.0.2", 1000, TCP_ACK).verdict).isEqualTo(Verdict.FORWARD);
        assertThat(d.newConnection).isFalse();
    }

    @Test
    void shouldSwitchAutomaticDefenseOnWhenTableRunsLow() {
        // 64 entries of 60 bytes: far less than amemthresh pages free -> "no memory" at once
        EngineFixture small = new EngineFixture(EngineConfig.defaults().withCapacity(64, 64));
        small.engine.setTunable("secure_tcp", "1");
        assertThat(small.engine.tunables().secureTcp()).isEqualTo(2);
        small.engine.setTunable("amemthresh", "0");
        assertThat(small.engine.tunables().secureTcp()).isEqualTo(1);
    }

    @Test
    void shouldDropHalfOpenEntriesWithDropEntry() {
        EngineFixture small = new EngineFixture(EngineConfig.defaults().withCapacity(64, 64));
        small.service(HTTP, ServiceConfig.of("rr"));
        small.addDest(HTTP, RS1, 80, 1, ForwardMethod.ROUTE);
        for (int i = 1; i <= 10; i++) {
            small.tcp("10.0.0." + i, 1000, TCP_SYN);
        }
        small.engine.setTunable("drop_entry", "3");
        // each second samples bucketCount/32 = 2 random entries of 64; a sampled SYN_RECV entry is always
        // dropped, so within 50 s (before the 60 s SYN_RECV timeout) most of the 10 are gone
        for (int s = 0; s < 50; s++) {
            small.advanceMillis(1000);
        }
        assertThat(small.connCount()).isLessThan(5);
        assertThat(small.engine.counters().connsExpired()).isEqualTo(10 - small.connCount());
    }
}
