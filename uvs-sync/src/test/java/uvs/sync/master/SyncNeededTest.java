package uvs.sync.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uvs.core.Decision;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.time.ManualClock;

/** The master's "needed" rule (spec §2.3), driven through the engine's sync hook. */
class SyncNeededTest {
    private static final IpAddress VIP = IpAddress.parse("10.1.1.1");
    private static final ServiceKey HTTP = ServiceKey.of(IpProto.TCP, VIP, 80);
    private static final ServiceKey DNS = ServiceKey.of(IpProto.UDP, VIP, 53);

    private final ManualClock clock = new ManualClock();
    private final Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(1024, 64));
    private final SyncNeeded rule = new SyncNeeded(engine.tunables());
    private final PacketHeader p = new PacketHeader();
    private final Decision d = new Decision();
    /** Per hook call: "T" (template) or "C" (connection) when needed, "-" when not. */
    private final List<String> calls = new ArrayList<>();

    @BeforeEach
    void setUp() {
        engine.syncHook((t, c, pkts) -> {
            // the kernel's v1 loop: the connection, then its template with ++in_pkts
            calls.add(rule.needed(t, c, pkts, engine.nowJiffies()) ? "C" : "-");
            int ct = (t.flags(c) & ConnFlags.TEMPLATE) != 0 ? ConnTable.NONE : t.control(c);
            if (ct != ConnTable.NONE) {
                int tp = t.inPkts(ct) + 1;
                t.setInPkts(ct, tp);
                calls.add(rule.needed(t, ct, tp, engine.nowJiffies()) ? "T" : "-");
            }
        });
    }

    private void tcp(int flags) {
        p.clear().ipv4(IpProto.TCP, 0x0a00_0001, 1000, VIP.v4(), 80);
        p.tcpFlags = flags;
        engine.process(p, d);
    }

    private String run(int packets, int flags) {
        calls.clear();
        for (int i = 0; i < packets; i++) {
            tcp(flags);
        }
        return String.join("", calls);
    }

    @Test
    void shouldSendATemplateOnlyWhenItChangesInReliableMode() {
        SyncNeeded reliable = new SyncNeeded(engine.tunables(), true);
        engine.syncHook((t, c, pkts) -> {
            calls.add(reliable.needed(t, c, pkts, engine.nowJiffies()) ? "C" : "-");
            int ct = t.control(c);
            if (ct != ConnTable.NONE) {
                calls.add(reliable.needed(t, ct, t.inPkts(ct) + 1, engine.nowJiffies()) ? "T" : "-");
            }
        });
        engine.addService(HTTP, ServiceConfig.persistent("wlc", 360));
        engine.addDest(HTTP, IpAddress.parse("10.2.2.2"), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        // SYN: the new template; ACK: ESTABLISHED assures it (a state change); the 3rd packet: the connection only
        assertThat(run(1, PacketHeader.TCP_SYN)).isEqualTo("-T");
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("-T");
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("C-");
        // packets do not re-arm a template: IPVS would send it with each of them
        assertThat(run(20, PacketHeader.TCP_ACK)).isEqualTo("--".repeat(20));
        // a new connection of the client 10 s later re-arms it
        clock.advanceSeconds(10);
        p.clear().ipv4(IpProto.TCP, 0x0a00_0001, 1001, VIP.v4(), 80);
        p.tcpFlags = PacketHeader.TCP_SYN;
        calls.clear();
        engine.process(p, d);
        assertThat(String.join("", calls)).isEqualTo("-T");
    }

    @Test
    void shouldSyncEstablishedTcpOnThirdAnd53rdPacketWithDefaults() {
        engine.addService(HTTP, ServiceConfig.of("wlc"));
        engine.addDest(HTTP, IpAddress.parse("10.2.2.2"), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        // pkt 1 SYN: SYN_RECV is never synced; pkt 2 ACK enters ESTABLISHED but waits for the count (2 % 50 != 3)
        assertThat(run(1, PacketHeader.TCP_SYN)).isEqualTo("-");
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("-");
        // pkt 3: 3 % 50 == 3
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("C");
        // pkts 4..52 not, 53 yes
        assertThat(run(49, PacketHeader.TCP_ACK)).isEqualTo("-".repeat(49));
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("C");
        // a change to FIN_WAIT is sent on the packet that caused it
        assertThat(run(1, PacketHeader.TCP_FIN | PacketHeader.TCP_ACK)).isEqualTo("C");
        // and not again while the state stays
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("-");
    }

    @Test
    void shouldSendTemplateOnEveryPacketWithDefaultsButNotInPersistModeForTheConnection() {
        engine.addService(HTTP, ServiceConfig.persistent("wlc", 360));
        engine.addDest(HTTP, IpAddress.parse("10.2.2.2"), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        assertThat(run(1, PacketHeader.TCP_SYN)).isEqualTo("-T");
        assertThat(run(2, PacketHeader.TCP_ACK)).isEqualTo("-TCT");
        engine.setTunable("sync_persist_mode", "1");
        assertThat(run(50, PacketHeader.TCP_ACK)).isEqualTo("-T".repeat(50));
    }

    @Test
    void shouldSyncExactlyOnceByCountWhenPeriodAndRefreshAreZero() {
        engine.setTunable("sync_threshold", "3 0");
        engine.addService(DNS, ServiceConfig.of("rr"));
        engine.addDest(DNS, IpAddress.parse("10.2.2.2"), 53, RealServerConfig.of(1, ForwardMethod.ROUTE));
        calls.clear();
        for (int i = 0; i < 200; i++) {
            p.clear().ipv4(IpProto.UDP, 0x0a00_0001, 5000, VIP.v4(), 53);
            engine.process(p, d);
        }
        assertThat(String.join("", calls)).isEqualTo("--C" + "-".repeat(197));
    }

    @Test
    void shouldLimitBySyncRefreshPeriodWithRetries() {
        // period 0, refresh 10 s, 2 retries: no packet-count test
        engine.setTunable("sync_threshold", "0 0");
        engine.setTunable("sync_refresh_period", "10");
        engine.setTunable("sync_retries", "2");
        engine.addService(HTTP, ServiceConfig.of("wlc"));
        engine.addDest(HTTP, IpAddress.parse("10.2.2.2"), 80, RealServerConfig.of(1, ForwardMethod.ROUTE));
        assertThat(run(1, PacketHeader.TCP_SYN)).isEqualTo("-");
        // entering ESTABLISHED: expected end moved by ~900 s >= min(10 s, 450 s) -> send
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("C");
        // 1 s later: within the refresh window and before refresh/8 = 1.25 s since that send -> no
        clock.advanceMillis(1000);
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("-");
        // 2 s: a first retry; 3 s: < 1.25 s after it -> no; 4 s: the second retry; then no more
        clock.advanceMillis(1000);
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("C");
        clock.advanceMillis(1000);
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("-");
        clock.advanceMillis(1000);
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("C");
        clock.advanceMillis(2000);
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("-");
        // exactly 10 s after the last send the stored end time (with retry bits 2) is still 2 jiffies short
        clock.advanceMillis(8000);
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("-");
        // a moment later the expected end has moved by the full refresh period: send again
        clock.advanceMillis(100);
        assertThat(run(1, PacketHeader.TCP_ACK)).isEqualTo("C");
    }
}
