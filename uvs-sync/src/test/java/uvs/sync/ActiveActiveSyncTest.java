package uvs.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.Verdict;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.sync.backup.SyncBackup;
import uvs.sync.master.SyncMaster;
import uvs.sync.master.SyncSender;
import uvs.sync.transport.InMemorySyncTransport;
import uvs.time.ManualClock;

/**
 * Two directors each running a master and a backup at once: connections of either reach the other,
 * and after one director stops, the other carries its flows to the same real servers and syncs them back.
 */
class ActiveActiveSyncTest {
    private static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    private static final ServiceKey HTTP = ServiceKey.of(IpProto.TCP, VIP, 80);

    private final ManualClock clock = new ManualClock();
    private final Director a = new Director();
    private final Director b = new Director();
    private final InMemorySyncTransport aToB = new InMemorySyncTransport(1, 7, 0);
    private final InMemorySyncTransport bToA = new InMemorySyncTransport(1, 8, 0);

    /** One director: engine, master toward the peer, backup from the peer. */
    private final class Director {
        final Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(4096, 64));
        final PacketHeader p = new PacketHeader();
        final Decision d = new Decision();
        SyncMaster master;
        SyncSender sender;
        SyncBackup backup;

        Director() {
            engine.addService(HTTP, ServiceConfig.of("wlc"));
            for (int i = 1; i <= 4; i++) {
                engine.addDest(HTTP, IpAddress.parse("10.2.2." + i), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
            }
        }

        void start(InMemorySyncTransport out, InMemorySyncTransport in) {
            master = new SyncMaster(engine, SyncDaemonConfig.master());
            sender = master.sender(out);
            backup = new SyncBackup(engine, SyncDaemonConfig.backup(), in, 1500);
            master.start();
            backup.start();
        }

        Decision tcp(int client, int flags) {
            p.clear().ipv4(IpProto.TCP, client, 1000, VIP.v4(), 80);
            p.tcpFlags = flags;
            return engine.process(p, d);
        }

        void cycle() {
            engine.doWork();
            master.doWork(engine.nowJiffies());
            sender.doWork();
            backup.doWork();
        }
    }

    private void cycles(int n) {
        for (int i = 0; i < n; i++) {
            clock.advanceMillis(100);
            a.cycle();
            b.cycle();
        }
    }

    @Test
    void shouldSyncBothWaysAndCarryTheFailedDirectorsFlows() {
        a.start(aToB, bToA);
        b.start(bToA, aToB);
        IpAddress[] chosen = new IpAddress[200];
        // clients 0..99 on director a, 100..199 on director b (ECMP), 5 packets each: synced on the 3rd
        for (int c = 0; c < 200; c++) {
            Director dir = c < 100 ? a : b;
            Decision d = dir.tcp(0x0b00_0000 + c, PacketHeader.TCP_SYN);
            chosen[c] = d.dest.address();
            for (int k = 0; k < 4; k++) {
                dir.tcp(0x0b00_0000 + c, PacketHeader.TCP_ACK);
            }
        }
        cycles(30);
        assertThat(a.engine.conns4().size()).as("a holds its own and b's connections").isEqualTo(200);
        assertThat(b.engine.conns4().size()).as("b holds its own and a's connections").isEqualTo(200);

        // director a fails: its clients' next segments reach b (no sloppy_tcp: only synced state can carry them)
        for (int c = 0; c < 100; c++) {
            Decision d = b.tcp(0x0b00_0000 + c, PacketHeader.TCP_ACK);
            assertThat(d.verdict).as("client %d", c).isEqualTo(Verdict.FORWARD);
            assertThat(d.newConnection).isFalse();
            assertThat(d.dest.address()).as("client %d keeps its real server", c).isEqualTo(chosen[c]);
        }
        // b, master as well, syncs what it now carries: a new flow on b reaches a's backup side
        b.tcp(0x0c00_0001, PacketHeader.TCP_SYN);
        for (int k = 0; k < 4; k++) {
            b.tcp(0x0c00_0001, PacketHeader.TCP_ACK);
        }
        cycles(30);
        int onA = a.engine.conns4().lookupIn(IpProto.TCP, 0, 0x0c00_0001L, 1000, 0, VIP.lo(), 80);
        assertThat(onA).isNotEqualTo(ConnTable.NONE);
        RealServer rs = a.engine.destOf(a.engine.conns4(), onA);
        assertThat(rs).isNotNull();
    }
}
