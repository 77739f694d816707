package uvs.ctl.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uvs.ctl.view.TestEngine.ip;
import static uvs.ctl.view.TestEngine.key;

import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.SyncUpdate;
import uvs.core.conn.ConnFlags;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;
import uvs.time.ManualClock;

class SnapshotsTest {
    private static final int SYN = PacketHeader.TCP_SYN;
    private static final int ACK = PacketHeader.TCP_ACK;
    private static final ServiceKey HTTP = key(IpProto.TCP, "10.1.1.1", 80);

    @Test
    void shouldListAddressServicesBeforeMarkServicesEachInOrderOfAddition() {
        TestEngine t = new TestEngine();
        ServiceKey mark = ServiceKey.fwmark(1, Af.INET);
        ServiceKey web = key(IpProto.TCP, "10.0.0.2", 80);
        ServiceKey dns = key(IpProto.UDP, "10.0.0.1", 53);
        t.service(mark, ServiceConfig.persistent("wlc", 360))
            .service(web, ServiceConfig.of("rr"))
            .service(dns, ServiceConfig.of("rr"));

        EngineView v = Snapshots.withoutConnections(t.engine);

        // the kernel dumps its address-service table before its firewall-mark table
        assertThat(v.services()).extracting(ServiceView::key).containsExactly(web, dns, mark);
    }

    @Test
    void shouldCopyConfigurationAndListRealServersNewestFirst() {
        TestEngine t = new TestEngine();
        ServiceConfig cfg = ServiceConfig.persistent("rr", 300).withNetmask(0xffff_ff00);
        t.service(HTTP, cfg);
        t.dest(HTTP, "10.2.2.1", 80, 1, ForwardMethod.MASQ);
        RealServerConfig tunnel = new RealServerConfig(5, ForwardMethod.TUNNEL, TunnelType.GUE, 6080,
            TunnelChecksum.CSUM, 100, 50);
        t.engine.addDest(HTTP, ip("10.2.2.2"), 8080, tunnel);

        ServiceView s = Snapshots.withoutConnections(t.engine).services().get(0);

        assertThat(s.config()).isEqualTo(cfg);
        assertThat(s.dests()).extracting(DestView::address).containsExactly(ip("10.2.2.2"), ip("10.2.2.1"));
        assertThat(s.dests().get(0).config()).isEqualTo(tunnel);
        assertThat(s.dests().get(0).port()).isEqualTo(8080);
        assertThat(s.dests().get(1).config()).isEqualTo(RealServerConfig.of(1, ForwardMethod.MASQ));
    }

    @Test
    void shouldShowTemplateAndConnectionWithTruncatedRemainingSeconds() {
        TestEngine t = new TestEngine();
        t.service(HTTP, ServiceConfig.persistent("rr", 360));
        t.dest(HTTP, "10.2.2.2", 80, 1, ForwardMethod.ROUTE);
        t.tcp("10.0.0.1", 12345, "10.1.1.1", 80, SYN, 0);
        t.tcp("10.0.0.1", 12345, "10.1.1.1", 80, ACK, 0);
        t.advanceMillis(2500);

        EngineView v = Snapshots.of(t.engine);

        // template first (inserted first); it was armed for 360 s at the SYN, the conn for 900 s at the ACK;
        // 2.5 s later: 357.5 -> 357 and 897.5 -> 897 (truncated)
        assertThat(v.conns()).hasSize(2);
        ConnView tpl = v.conns().get(0);
        assertThat(tpl.isTemplate()).isTrue();
        assertThat(tpl.protocol()).isEqualTo(IpProto.TCP);
        assertThat(tpl.caddr()).isEqualTo(ip("10.0.0.1"));
        assertThat(tpl.cport()).isZero();
        assertThat(tpl.vaddr()).isEqualTo(ip("10.1.1.1"));
        assertThat(tpl.vport()).isEqualTo(80);
        assertThat(tpl.daddr()).isEqualTo(ip("10.2.2.2"));
        assertThat(tpl.dport()).isEqualTo(80);
        assertThat(tpl.stateName()).isEqualTo("ASSURED");
        assertThat(tpl.expiresSeconds()).isEqualTo(357);
        assertThat(tpl.originName()).isEqualTo("LOCAL");
        ConnView conn = v.conns().get(1);
        assertThat(conn.isTemplate()).isFalse();
        assertThat(conn.cport()).isEqualTo(12345);
        assertThat(conn.stateName()).isEqualTo("ESTABLISHED");
        assertThat(conn.expiresSeconds()).isEqualTo(897);
        assertThat(conn.flags() & ConnFlags.FWD_MASK).isEqualTo(ConnFlags.DROUTE);

        DestView d = v.services().get(0).dests().get(0);
        assertThat(d.activeConns()).isEqualTo(1);
        assertThat(d.inactConns()).isZero();
        assertThat(d.persistConns()).isEqualTo(1);
        // two 60-byte packets; one 2 s estimator tick: inbps avg = (120 << 4) / 4 = 480, (480 + 15) >> 5 = 15
        StatsView st = v.services().get(0).stats();
        assertThat(st.conns()).isEqualTo(1);
        assertThat(st.inPkts()).isEqualTo(2);
        assertThat(st.inBytes()).isEqualTo(120);
        assertThat(st.inBps()).isEqualTo(15);
        assertThat(v.totals().inBytes()).isEqualTo(120);
    }

    @Test
    void shouldShowFirewallMarkTemplateWithTheMarkAsVirtualAddress() {
        TestEngine t = new TestEngine();
        ServiceKey mark = ServiceKey.fwmark(1, Af.INET);
        t.service(mark, ServiceConfig.persistent("wlc", 360));
        t.dest(mark, "10.2.2.3", 0, 1, ForwardMethod.ROUTE);
        t.tcp("10.0.0.9", 4000, "10.1.1.9", 443, SYN, 1);

        List<ConnView> conns = Snapshots.of(t.engine).conns();

        // spec §6.2: <IP, CIP, 0, fwmark as address, 0> -> <RIP, 0>; the conn keeps the packet's dport
        ConnView tpl = conns.get(0);
        assertThat(tpl.protocol()).isEqualTo(IpProto.IP);
        assertThat(tpl.vaddr()).isEqualTo(ip("0.0.0.1"));
        assertThat(tpl.vport()).isZero();
        assertThat(tpl.dport()).isZero();
        assertThat(tpl.stateName()).isEqualTo("NONE");
        assertThat(tpl.expiresSeconds()).isEqualTo(360);
        ConnView conn = conns.get(1);
        assertThat(conn.stateName()).isEqualTo("SYN_RECV");
        assertThat(conn.vaddr()).isEqualTo(ip("10.1.1.9"));
        assertThat(conn.dport()).isEqualTo(443);
        assertThat(conn.expiresSeconds()).isEqualTo(60);
    }

    @Test
    void shouldMarkSyncedEntriesAsSyncOrigin() {
        TestEngine t = new TestEngine();
        t.service(HTTP, ServiceConfig.of("rr"));
        t.dest(HTTP, "10.2.2.2", 80, 1, ForwardMethod.ROUTE);
        SyncUpdate u = new SyncUpdate();
        u.protocol = IpProto.TCP;
        u.flags = ConnFlags.DROUTE;
        u.state = 1;
        u.caddrLo = ip("10.0.0.1").lo();
        u.cport = 12345;
        u.vaddrLo = ip("10.1.1.1").lo();
        u.vport = 80;
        u.daddrLo = ip("10.2.2.2").lo();
        u.dport = 80;
        u.timeoutSeconds = 900;
        t.engine.applySync(u);

        ConnView c = Snapshots.of(t.engine).conns().get(0);

        assertThat(c.isSynced()).isTrue();
        assertThat(c.originName()).isEqualTo("SYNC");
        assertThat(c.stateName()).isEqualTo("ESTABLISHED");
        assertThat(c.expiresSeconds()).isEqualTo(900);
    }

    @Test
    void shouldCarrySipCallIdOnTheTemplateOnly() {
        TestEngine t = new TestEngine();
        ServiceKey sip = key(IpProto.UDP, "10.1.1.1", 5060);
        t.service(sip, ServiceConfig.persistent("rr", 360).withPe("sip"));
        t.dest(sip, "10.2.2.4", 5060, 1, ForwardMethod.MASQ);
        t.udp("10.0.0.5", 5060, "10.1.1.1", 5060, "INVITE sip:bob@x SIP/2.0\r\nCall-ID: abc123@host\r\n\r\n");

        List<ConnView> conns = Snapshots.of(t.engine).conns();

        assertThat(conns).hasSize(2);
        assertThat(conns.get(0).isTemplate()).isTrue();
        assertThat(conns.get(0).peName()).isEqualTo("sip");
        assertThat(conns.get(0).peData()).isEqualTo("abc123@host");
        assertThat(conns.get(0).hasPeData()).isTrue();
        assertThat(conns.get(1).peName()).isNull();
        assertThat(conns.get(1).peData()).isNull();
        assertThat(conns.get(1).stateName()).isEqualTo("UDP");
        assertThat(conns.get(1).expiresSeconds()).isEqualTo(300);
    }

    @Test
    void shouldShowIpv6Connections() {
        TestEngine t = new TestEngine();
        ServiceKey v6 = key(IpProto.TCP, "2001:db8::1", 80);
        t.service(v6, ServiceConfig.of("wlc").withNetmask(128));
        t.dest(v6, "2001:db8::10", 80, 1, ForwardMethod.ROUTE);
        t.tcp6("2001:db8::99", 40000, "2001:db8::1", 80, SYN);

        ConnView c = Snapshots.of(t.engine).conns().get(0);

        assertThat(c.af()).isEqualTo(Af.INET6);
        assertThat(c.caddr()).isEqualTo(ip("2001:db8::99"));
        assertThat(c.vaddr()).isEqualTo(ip("2001:db8::1"));
        assertThat(c.daddr()).isEqualTo(ip("2001:db8::10"));
        assertThat(c.cport()).isEqualTo(40000);
        assertThat(c.stateName()).isEqualTo("SYN_RECV");
    }

    @Test
    void shouldShowZeroSecondsForAnEntryPastItsExpiryNotYetReaped() {
        TestEngine t = new TestEngine();
        t.service(HTTP, ServiceConfig.of("rr"));
        t.dest(HTTP, "10.2.2.2", 80, 1, ForwardMethod.ROUTE);
        t.tcp("10.0.0.1", 1000, "10.1.1.1", 80, SYN, 0);
        // 61 s later a packet for nobody moves the engine's clock without running its timers
        t.clock.advanceSeconds(61);
        t.tcp("10.0.0.1", 1000, "10.9.9.9", 80, ACK, 0);

        ConnView c = Snapshots.of(t.engine).conns().get(0);

        // the kernel prints jiffies_delta_to_msecs(), which is 0 for a negative delta
        assertThat(c.expiresSeconds()).isZero();
    }

    @Test
    void shouldNotListOnePacketConnectionsWhichAreNeverHashed() {
        TestEngine t = new TestEngine();
        ServiceKey dns = key(IpProto.UDP, "10.1.1.1", 53);
        t.service(dns, ServiceConfig.of("rr").withFlags(ServiceFlags.ONEPACKET));
        t.dest(dns, "10.2.2.2", 53, 1, ForwardMethod.ROUTE);
        t.udp("10.0.0.4", 5353, "10.1.1.1", 53, null);

        EngineView v = Snapshots.of(t.engine);

        assertThat(v.conns()).isEmpty();
        assertThat(v.services().get(0).stats().conns()).isEqualTo(1);
    }

    @Test
    void shouldReportTimeoutsAndTableSize() {
        TestEngine t = new TestEngine();
        t.engine.setTimeouts(3600, 0, 30);
        Engine small = new Engine(new ManualClock(), new EngineConfig(64, 16, 8, 1L, 2L));

        assertThat(Snapshots.of(t.engine).timeouts()).isEqualTo(new TimeoutView(3600, 120, 30));
        assertThat(Snapshots.of(t.engine).connTabSize()).isEqualTo(4096);
        assertThat(Snapshots.of(small).connTabSize()).isEqualTo(256);
        assertThat(Snapshots.of(small).timeouts()).isEqualTo(TimeoutView.DEFAULTS);
    }

    @Test
    void shouldSumShardsBeforeRoundingRates() {
        TestEngine a = new TestEngine();
        TestEngine b = new TestEngine();
        for (TestEngine t : List.of(a, b)) {
            t.service(HTTP, ServiceConfig.of("rr"));
            t.dest(HTTP, "10.2.2.2", 80, 1, ForwardMethod.ROUTE);
        }
        for (int i = 0; i < 4; i++) {
            a.tcp("10.0.0." + (i + 1), 1000, "10.1.1.1", 80, SYN, 0);
            b.tcp("10.0.1." + (i + 1), 1000, "10.1.1.1", 80, SYN, 0);
        }
        a.advanceMillis(2000);
        b.advanceMillis(2000);

        EngineView v = Snapshots.of(List.of(a.engine, b.engine), true);

        // per shard: cps avg = (4 << 9) >> 2 = 512, (512 + 0x1FF) >> 10 = 0; summed avg 1024 -> 1
        assertThat(Snapshots.of(a.engine).services().get(0).stats().cps()).isZero();
        ServiceView s = v.services().get(0);
        assertThat(v.services()).hasSize(1);
        assertThat(s.stats().conns()).isEqualTo(8);
        assertThat(s.stats().cps()).isEqualTo(1);
        assertThat(v.totals().conns()).isEqualTo(8);
        assertThat(v.totals().cps()).isEqualTo(1);
        assertThat(s.dests()).hasSize(1);
        // SYN_RECV counts as active (spec §5.1)
        assertThat(s.dests().get(0).activeConns()).isEqualTo(8);
        assertThat(v.conns()).hasSize(8);
        assertThat(v.conns().get(0).caddr()).isEqualTo(ip("10.0.0.1"));
        assertThat(v.conns().get(4).caddr()).isEqualTo(ip("10.0.1.1"));
    }

    @Test
    void shouldRejectAnEmptyShardList() {
        assertThatThrownBy(() -> Snapshots.of(List.of(), true))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no engine");
    }

    @Test
    void shouldRejectBadViewValues() {
        IpAddress a = ip("10.0.0.1");
        assertThatThrownBy(() -> new DaemonView(3, "eth0", 0, 0, null, 0, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("daemon state 3");
        assertThatThrownBy(() -> new DaemonView(DaemonView.MASTER, "eth0", 256, 0, null, 0, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syncid 256");
        assertThatThrownBy(() -> new DaemonView(DaemonView.BACKUP, "a-very-long-ifname", 0, 0, null, 0, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 15");
        assertThatThrownBy(() -> new ConnView(6, a, 1, a, 2, a, 3, "NONE", -1, 0, null, null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> new ConnView(6, a, 70000, a, 2, a, 3, "NONE", 1, 0, null, null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> new ConnView(6, a, 1, ip("::1"), 2, a, 3, "NONE", 1, 0, null, null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("families");
        assertThatThrownBy(() -> new DestView(a, 65536, RealServerConfig.defaults(), 0, 0, 0, StatsView.ZERO))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
        assertThatThrownBy(() -> new EngineView(0, StatsView.ZERO, TimeoutView.DEFAULTS, List.of(), List.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size 0");
    }
}
