package uvs.ctl.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uvs.ctl.format.Views.conn;
import static uvs.ctl.format.Views.dest;
import static uvs.ctl.format.Views.key;
import static uvs.ctl.format.Views.lines;
import static uvs.ctl.format.Views.peConn;
import static uvs.ctl.format.Views.svc;

import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.conn.ConnFlags;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.ctl.view.ConnView;
import uvs.ctl.view.EngineView;
import uvs.ctl.view.StatsView;
import uvs.ctl.view.TimeoutView;

/** /proc/net/ip_vs, ip_vs_conn, ip_vs_conn_sync, ip_vs_stats. */
class ProcFilesTest {
    private static final String HEADER = lines(
        "IP Virtual Server version 1.2.1 (size=4096)",
        "Prot LocalAddress:Port Scheduler Flags",
        "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn");

    @Test
    void shouldPrintServicesInKernelOrderWithHexAndTimeoutInJiffies() {
        EngineView v = Views.engine(
            svc(key(IpProto.TCP, "207.175.44.110", 80), ServiceConfig.persistent("rr", 360).withNetmask(0xffff_ff00),
                dest("192.168.10.2", 80, 1, ForwardMethod.MASQ, 3, 12),
                dest("192.168.10.1", 80, 1, ForwardMethod.MASQ, 0, 0)),
            svc(key(IpProto.UDP, "10.1.1.1", 53), ServiceConfig.of("rr").withFlags(ServiceFlags.ONEPACKET)),
            svc(ServiceKey.fwmark(1, Af.INET), ServiceConfig.of("wlc"),
                dest("192.168.10.5", 0, 2, ForwardMethod.ROUTE, 0, 0)));

        // 360 s x HZ 250 = 90000 jiffies; "%s  %08X:%04X %s %s " leaves two spaces without ops;
        // "FWM  %08X %s %s" leaves one trailing space
        assertThat(new ProcIpVs().format(v)).isEqualTo(HEADER + lines(
            "TCP  CFAF2C6E:0050 rr  persistent 90000 FFFFFF00",
            "  -> C0A80A02:0050      Masq    1      3          12        ",
            "  -> C0A80A01:0050      Masq    1      0          0         ",
            "UDP  0A010101:0035 rr ops  ",
            "FWM  00000001 wlc ",
            "  -> C0A80A05:0000      Route   2      0          0         "));
    }

    @Test
    void shouldPrintIpv6ServicesInFullFormWithTheLittleEndianPrefixLength() {
        EngineView v = Views.engine(
            svc(key(IpProto.TCP, "2001:db8::1", 80), ServiceConfig.persistent("wlc", 300).withNetmask(64)
                    .withFlags(ServiceFlags.PERSISTENT | ServiceFlags.ONEPACKET),
                dest("2001:db8::10", 80, 1, ForwardMethod.TUNNEL, 0, 0)));

        // HZ 1000: 300000 jiffies; prefix 64 kept in host order and printed through ntohl on x86: 40000000;
        // the IPv6 line has no ops marker
        assertThat(new ProcIpVs(1000).format(v)).isEqualTo(HEADER + lines(
            "TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:0050 wlc persistent 300000 40000000",
            "  -> [2001:0db8:0000:0000:0000:0000:0000:0010]:0050      Tunnel  1      0          0         "));
    }

    @Test
    void shouldRejectAnImpossibleHz() {
        assertThatThrownBy(() -> new ProcIpVs(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HZ 0");
    }

    @Test
    void shouldPrintConnectionsWithPeDataAndOrigins() {
        List<ConnView> c = List.of(
            conn(IpProto.TCP, "10.0.0.1", 12345, "10.1.1.1", 80, "10.2.2.2", 80, "ESTABLISHED", 898, ConnFlags.SYNC),
            peConn("10.0.0.5", "10.1.1.1", 5060, "10.2.2.4", 5060, 359, "abc123@host"),
            conn(IpProto.IP, "10.0.0.9", 0, "0.0.0.1", 0, "10.2.2.2", 0, "NONE", 359, ConnFlags.TEMPLATE),
            conn(IpProto.TCP, "2001:db8::99", 40000, "2001:db8::1", 80, "2001:db8::10", 80, "SYN_RECV", 59, 0));
        ProcIpVsConn proc = new ProcIpVsConn();

        assertThat(proc.formatConn(c)).isEqualTo(lines(
            "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData",
            "TCP 0A000001 3039 0A010101 0050 0A020202 0050 ESTABLISHED     898",
            "UDP 0A000005 0000 0A010101 13C4 0A020204 13C4 NONE            359 sip abc123@host",
            "IP  0A000009 0000 00000001 0000 0A020202 0000 NONE            359",
            "TCP 2001:0db8:0000:0000:0000:0000:0000:0099 9C40 2001:0db8:0000:0000:0000:0000:0000:0001 0050 "
                + "2001:0db8:0000:0000:0000:0000:0000:0010 0050 SYN_RECV         59"));
        assertThat(proc.formatConnSync(c.subList(0, 1))).isEqualTo(lines(
            "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Origin Expires",
            "TCP 0A000001 3039 0A010101 0050 0A020202 0050 ESTABLISHED SYNC       898"));
        assertThat(proc.formatConnSync(c.subList(2, 3))).endsWith(
            "IP  0A000009 0000 00000001 0000 0A020202 0000 NONE        LOCAL      359\n");
    }

    @Test
    void shouldPrintTotalsInHex() {
        StatsView totals = new StatsView(5, 120, 0, 123_456_789L, 0, 1, 20, 0, 123_456, 0);

        // 120 = 0x78, 123456789 = 0x75BCD15, 20 = 0x14, 123456 = 0x1E240
        assertThat(new ProcIpVsStats().format(totals)).isEqualTo(lines(
            "   Total Incoming Outgoing         Incoming         Outgoing",
            "   Conns  Packets  Packets            Bytes            Bytes",
            "       5       78        0          75BCD15                0",
            "",
            " Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s",
            "       1       14        0            1E240                0"));
        EngineView empty = new EngineView(4096, StatsView.ZERO, TimeoutView.DEFAULTS, List.of(), List.of());
        assertThat(new ProcIpVs().format(empty)).isEqualTo(HEADER);
    }
}
