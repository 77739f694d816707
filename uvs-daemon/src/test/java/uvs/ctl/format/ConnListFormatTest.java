package uvs.ctl.format;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.format.Views.conn;
import static uvs.ctl.format.Views.lines;
import static uvs.ctl.format.Views.peConn;

import java.util.List;
import org.junit.jupiter.api.Test;
import uvs.core.PacketHeader;
import uvs.core.conn.ConnFlags;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.view.ConnView;
import uvs.ctl.view.Snapshots;
import uvs.ctl.view.TestEngine;

class ConnListFormatTest {
    private static final String HEADER = lines(
        "IPVS connection entries",
        "pro expire state       source             virtual            destination");
    private static final String PE_HEADER = lines(
        "IPVS connection entries",
        "pro expire state       source             virtual            destination        pe name          pe_data");
    private static final int TPL = ConnFlags.TEMPLATE;

    /** The four entries of the spec §9.4 example (remaining 898, 359, 299 and 359 s). */
    private static List<ConnView> section94() {
        return List.of(
            conn(IpProto.TCP, "10.0.0.1", 12345, "10.1.1.1", 80, "10.2.2.2", 80, "ESTABLISHED", 898, 0),
            conn(IpProto.TCP, "10.0.0.1", 0, "10.1.1.1", 80, "10.2.2.2", 80, "ASSURED", 359, TPL),
            conn(IpProto.UDP, "10.0.0.4", 5353, "10.1.1.1", 53, "192.168.0.5", 53, "UDP", 299, 0),
            conn(IpProto.IP, "10.0.0.9", 0, "0.0.0.1", 0, "10.2.2.2", 0, "NONE", 359, TPL));
    }

    @Test
    void shouldReproduceTheSection94Example() {
        // copied from spec §9.4
        assertThat(new ConnListFormat(false).format(section94())).isEqualTo(""
            + "IPVS connection entries\n"
            + "pro expire state       source             virtual            destination\n"
            + "TCP 14:58  ESTABLISHED 10.0.0.1:12345     10.1.1.1:80        10.2.2.2:80\n"
            + "TCP 05:59  ASSURED     10.0.0.1:0         10.1.1.1:80        10.2.2.2:80\n"
            + "UDP 04:59  UDP         10.0.0.4:5353      10.1.1.1:53        192.168.0.5:53\n"
            + "IP  05:59  NONE        10.0.0.9:0         0.0.0.1:0          10.2.2.2:0\n");
    }

    @Test
    void shouldNotCapMinutesAtFiftyNine() {
        // 2678400 s (31 days) = 44640 min; %-6s does not cut the longer text
        List<ConnView> c = List.of(
            conn(IpProto.TCP, "10.0.0.1", 1, "10.1.1.1", 80, "10.2.2.2", 80, "ESTABLISHED", 2_678_400, 0));

        assertThat(new ConnListFormat(false).format(c)).isEqualTo(HEADER
            + "TCP 44640:00 ESTABLISHED 10.0.0.1:1         10.1.1.1:80        10.2.2.2:80\n");
        assertThat(ConnListFormat.expire(3600)).isEqualTo("60:00");
        assertThat(ConnListFormat.expire(59)).isEqualTo("00:59");
        assertThat(ConnListFormat.expire(0)).isEqualTo("00:00");
    }

    @Test
    void shouldShowIpv6InBracketsAndOtherProtocolsByNumber() {
        List<ConnView> c = List.of(
            conn(IpProto.TCP, "2001:db8::99", 40000, "2001:db8::1", 80, "2001:db8::10", 80, "ESTABLISHED", 899, 0),
            conn(47, "10.0.0.1", 0, "10.1.1.1", 0, "10.2.2.2", 0, "ERR!", 0, 0));

        assertThat(new ConnListFormat(false).format(c)).isEqualTo(HEADER + lines(
            "TCP 14:59  ESTABLISHED [2001:db8::99]:40000 [2001:db8::1]:80   [2001:db8::10]:80",
            "IP_47 00:00  ERR!        10.0.0.1:0         10.1.1.1:0         10.2.2.2:0"));
    }

    @Test
    void shouldAddPeColumnsOnlyToEntriesWithPeData() {
        List<ConnView> c = List.of(
            peConn("10.0.0.5", "10.1.1.1", 5060, "10.2.2.4", 5060, 359, "abc123@host"),
            conn(IpProto.UDP, "10.0.0.5", 5060, "10.1.1.1", 5060, "10.2.2.4", 5060, "UDP", 299, 0));

        // PE row "%-3s %-6s %-11s %-18s %-18s %-16s %-18s %s" (destination padded to 16, not 18)
        assertThat(new ConnListFormat(true).format(c)).isEqualTo(PE_HEADER + lines(
            "UDP 05:59  NONE        10.0.0.5:0         10.1.1.1:5060      10.2.2.4:5060    sip                abc123@host",
            "UDP 04:59  UDP         10.0.0.5:5060      10.1.1.1:5060      10.2.2.4:5060"));
        // without --persistent-conn the PE data is not shown
        assertThat(new ConnListFormat(false).format(c.subList(0, 1))).isEqualTo(HEADER
            + "UDP 05:59  NONE        10.0.0.5:0         10.1.1.1:5060      10.2.2.4:5060\n");
    }

    @Test
    void shouldShowOnlyTheFirstWordOfPeDataAsSscanfReadsIt() {
        List<ConnView> c = List.of(
            peConn("10.0.0.5", "10.1.1.1", 5060, "10.2.2.4", 5060, 1, "abc def"),
            peConn("10.0.0.6", "10.1.1.1", 5060, "10.2.2.4", 5060, 1, " \t "));

        // "abc def" -> "abc"; all-blank data leaves sscanf one field short: the plain row
        assertThat(new ConnListFormat(true).format(c)).isEqualTo(PE_HEADER + lines(
            "UDP 00:01  NONE        10.0.0.5:0         10.1.1.1:5060      10.2.2.4:5060    sip                abc",
            "UDP 00:01  NONE        10.0.0.6:0         10.1.1.1:5060      10.2.2.4:5060"));
    }

    @Test
    void shouldListLiveEngineEntriesWithFirewallMarkTemplateAsPseudoAddress() {
        TestEngine t = new TestEngine();
        ServiceKey mark = ServiceKey.fwmark(1, Af.INET);
        t.service(mark, ServiceConfig.persistent("wlc", 360));
        t.dest(mark, "10.2.2.2", 0, 1, ForwardMethod.ROUTE);
        t.tcp("10.0.0.9", 4000, "10.1.1.9", 443, PacketHeader.TCP_SYN, 1);
        t.tcp("10.0.0.9", 4000, "10.1.1.9", 443, PacketHeader.TCP_ACK, 1);
        t.advanceMillis(1500);

        // template armed for 360 s at the SYN: 358.5 -> 05:58; conn ESTABLISHED for 900 s: 898.5 -> 14:58;
        // the template became ASSURED when its conn was established
        assertThat(new ConnListFormat(false).format(Snapshots.of(t.engine).conns())).isEqualTo(HEADER + lines(
            "IP  05:58  ASSURED     10.0.0.9:0         0.0.0.1:0          10.2.2.2:0",
            "TCP 14:58  ESTABLISHED 10.0.0.9:4000      10.1.1.9:443       10.2.2.2:443"));
    }
}
