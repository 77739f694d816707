package uvs.ctl.format;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.format.Views.dest;
import static uvs.ctl.format.Views.engine;
import static uvs.ctl.format.Views.key;
import static uvs.ctl.format.Views.lines;
import static uvs.ctl.format.Views.mark;
import static uvs.ctl.format.Views.svc;

import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.ctl.view.EngineView;
import uvs.ctl.view.ServiceView;
import uvs.ctl.view.Snapshots;
import uvs.ctl.view.TestEngine;

class ListFormatTest {
    private static final String TITLE = lines(
        "Prot LocalAddress:Port Scheduler Flags",
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn");
    private static final ListFormat LIST = new ListFormat(DisplayOptions.NUMERIC);

    /** The §9.2 configuration, added in the given order, with 3/12 connections on 192.168.10.2. */
    private static EngineView section92Engine() {
        TestEngine t = new TestEngine();
        ServiceKey web = TestEngine.key(IpProto.TCP, "207.175.44.110", 80);
        ServiceKey fwm = ServiceKey.fwmark(1, Af.INET);
        t.service(fwm, ServiceConfig.of("wlc"));
        t.dest(fwm, "192.168.10.5", 0, 2, ForwardMethod.ROUTE);
        t.service(web, ServiceConfig.persistent("rr", 360).withNetmask(0xffff_ff00));
        t.dest(web, "192.168.10.1", 80, 1, ForwardMethod.MASQ);
        t.dest(web, "192.168.10.2", 80, 1, ForwardMethod.MASQ).counters(3, 12, 0);
        return Snapshots.withoutConnections(t.engine);
    }

    @Test
    void shouldReproduceTheSection92ExampleByteForByte() {
        // copied from spec §9.2: dest lines are "%-28s %-7s %-6d %-10u %-10u", so InActConn leaves trailing spaces
        String expected = ""
            + "IP Virtual Server version 1.2.1 (size=4096)\n"
            + "Prot LocalAddress:Port Scheduler Flags\n"
            + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
            + "TCP  207.175.44.110:80 rr persistent 360 mask 255.255.255.0\n"
            + "  -> 192.168.10.1:80              Masq    1      0          0         \n"
            + "  -> 192.168.10.2:80              Masq    1      3          12        \n"
            + "FWM  1 wlc\n"
            + "  -> 192.168.10.5:0               Route   2      0          0         \n";

        assertThat(LIST.formatAll(section92Engine())).isEqualTo(expected);
    }

    @Test
    void shouldKeepKernelOrderWithNoSort() {
        // kernel order: address services, then mark services; real servers newest first
        String expected = ""
            + "IP Virtual Server version 1.2.1 (size=4096)\n"
            + TITLE
            + "TCP  207.175.44.110:80 rr persistent 360 mask 255.255.255.0\n"
            + "  -> 192.168.10.2:80              Masq    1      3          12        \n"
            + "  -> 192.168.10.1:80              Masq    1      0          0         \n"
            + "FWM  1 wlc\n"
            + "  -> 192.168.10.5:0               Route   2      0          0         \n";

        assertThat(new ListFormat(DisplayOptions.NUMERIC.withNoSort()).formatAll(section92Engine())).isEqualTo(expected);
    }

    @Test
    void shouldListOneServiceWithoutTheVersionLine() {
        ServiceView s = section92Engine().services().get(1);
        StringBuilder sb = new StringBuilder();

        LIST.formatService(s, sb);

        assertThat(sb.toString()).isEqualTo(TITLE
            + "FWM  1 wlc\n"
            + "  -> 192.168.10.5:0               Route   2      0          0         \n");
    }

    @Test
    void shouldSortServicesByMarkFamilyProtocolAddressAndPort() {
        EngineView v = engine(
            svc(ServiceKey.fwmark(2, Af.INET), ServiceConfig.of("rr")),
            svc(key(IpProto.TCP, "10.0.0.2", 80), ServiceConfig.of("rr")),
            svc(ServiceKey.fwmark(1, Af.INET6), ServiceConfig.of("rr").withNetmask(128)),
            svc(key(IpProto.UDP, "10.0.0.1", 53), ServiceConfig.of("rr")),
            svc(key(IpProto.TCP, "2001:db8::1", 80), ServiceConfig.of("rr").withNetmask(128)),
            svc(key(IpProto.TCP, "10.0.0.1", 443), ServiceConfig.of("rr")),
            svc(mark(1), ServiceConfig.of("rr")),
            svc(key(IpProto.TCP, "10.0.0.1", 80), ServiceConfig.of("rr")));

        // fwmark 0 first; AF_INET (2) before AF_INET6 (10); TCP (6) before UDP (17); then address, port;
        // FWM 1 IPv4 before FWM 1 IPv6 (af), then FWM 2
        assertThat(LIST.formatAll(v)).isEqualTo("IP Virtual Server version 1.2.1 (size=4096)\n" + TITLE + lines(
            "TCP  10.0.0.1:80 rr",
            "TCP  10.0.0.1:443 rr",
            "TCP  10.0.0.2:80 rr",
            "UDP  10.0.0.1:53 rr",
            "TCP  [2001:db8::1]:80 rr",
            "FWM  1 rr",
            "FWM  1 IPv6 rr",
            "FWM  2 rr"));
    }

    @Test
    void shouldSortAsLibipvsDoesWhenValuesAreMoreThanTwoToThe31Apart() {
        // libipvs subtracts u32 values into an int: 0x0A000001 - 0xC0A80001 = 0x49580000 > 0, so 10.0.0.1
        // sorts after 192.168.0.1; 0 - 3000000000 = 0x4D2FA200 > 0, so FWM 3000000000 sorts first
        EngineView v = engine(
            svc(key(IpProto.TCP, "10.0.0.1", 80), ServiceConfig.of("rr")),
            svc(key(IpProto.TCP, "192.168.0.1", 80), ServiceConfig.of("rr")),
            svc(ServiceKey.fwmark((int) 3_000_000_000L, Af.INET), ServiceConfig.of("rr")));

        assertThat(LIST.formatAll(v)).endsWith(TITLE + lines(
            "FWM  3000000000 rr",
            "TCP  192.168.0.1:80 rr",
            "TCP  10.0.0.1:80 rr"));
    }

    @Test
    void shouldSortDestsByAddressThenPortWithGlibcMergeSort() {
        // A=10.0.0.1 < B=100.0.0.1 < C=200.0.0.1 < A under libipvs' comparison (a cycle); glibc's msort of
        // [C, B, A]: [C] | sort([B, A]) = [A, B]; merge: cmp(C, A) = 0xBE000000 < 0 takes C -> C, A, B
        ServiceView s = svc(key(IpProto.TCP, "10.1.1.1", 80), ServiceConfig.of("rr"),
            dest("200.0.0.1", 80, 1, ForwardMethod.ROUTE, 0, 0),
            dest("100.0.0.1", 80, 1, ForwardMethod.ROUTE, 0, 0),
            dest("10.0.0.1", 80, 1, ForwardMethod.ROUTE, 0, 0),
            dest("10.0.0.2", 8080, 1, ForwardMethod.ROUTE, 0, 0),
            dest("10.0.0.2", 80, 1, ForwardMethod.ROUTE, 0, 0));

        assertThat(IpvsadmSort.dests(s.dests().subList(0, 3))).extracting(d -> d.address().toString())
            .containsExactly("200.0.0.1", "10.0.0.1", "100.0.0.1");
        assertThat(IpvsadmSort.dests(s.dests().subList(3, 5))).extracting(d -> d.port())
            .containsExactly(80, 8080);
    }

    @Test
    void shouldNameSchedulerFlagsAfterTheScheduler() {
        int both = ServiceFlags.SCHED1 | ServiceFlags.SCHED2;
        assertThat(row(svc(key(IpProto.TCP, "10.0.0.1", 80), ServiceConfig.of("sh").withFlags(both))))
            .isEqualTo("TCP  10.0.0.1:80 sh (sh-fallback,sh-port)\n");
        assertThat(row(svc(key(IpProto.TCP, "10.0.0.1", 80), ServiceConfig.of("mh").withFlags(ServiceFlags.SCHED2))))
            .isEqualTo("TCP  10.0.0.1:80 mh (mh-port)\n");
        assertThat(row(svc(key(IpProto.TCP, "10.0.0.1", 80),
            ServiceConfig.of("wlc").withFlags(ServiceFlags.SCHED1 | ServiceFlags.SCHED3))))
            .isEqualTo("TCP  10.0.0.1:80 wlc (flag-1,flag-3)\n");
        // sh has no name for SCHED3: ipvsadm still prints the parentheses
        assertThat(row(svc(key(IpProto.TCP, "10.0.0.1", 80), ServiceConfig.of("sh").withFlags(ServiceFlags.SCHED3))))
            .isEqualTo("TCP  10.0.0.1:80 sh ()\n");
    }

    @Test
    void shouldShowPersistenceMaskPeAndOps() {
        assertThat(row(svc(key(IpProto.TCP, "10.0.0.1", 80), ServiceConfig.persistent("rr", 360))))
            .isEqualTo("TCP  10.0.0.1:80 rr persistent 360\n");
        assertThat(row(svc(key(IpProto.UDP, "10.0.0.1", 5060),
            ServiceConfig.persistent("rr", 60).withNetmask(0xffff_0000).withPe("sip")
                .withFlags(ServiceFlags.PERSISTENT | ServiceFlags.ONEPACKET))))
            .isEqualTo("UDP  10.0.0.1:5060 rr persistent 60 mask 255.255.0.0 pe sip ops\n");
        // the PE is shown only with persistence; ops alone
        assertThat(row(svc(key(IpProto.UDP, "10.0.0.1", 53),
            ServiceConfig.of("rr").withPe("sip").withFlags(ServiceFlags.ONEPACKET))))
            .isEqualTo("UDP  10.0.0.1:53 rr ops\n");
        assertThat(row(svc(key(IpProto.SCTP, "10.0.0.1", 9), ServiceConfig.of("rr"))))
            .isEqualTo("SCTP 10.0.0.1:9 rr\n");
    }

    @Test
    void shouldShowIpv6ServicesInBracketsWithPrefixLengthMask() {
        assertThat(row(svc(key(IpProto.TCP, "2001:db8::1", 80), ServiceConfig.persistent("wlc", 300).withNetmask(64))))
            .isEqualTo("TCP  [2001:db8::1]:80 wlc persistent 300 mask 64\n");
        assertThat(row(svc(key(IpProto.TCP, "2001:db8::1", 80), ServiceConfig.persistent("wlc", 300).withNetmask(128))))
            .isEqualTo("TCP  [2001:db8::1]:80 wlc persistent 300\n");
        assertThat(row(svc(ServiceKey.fwmark(7, Af.INET6), ServiceConfig.of("rr").withNetmask(128))))
            .isEqualTo("FWM  7 IPv6 rr\n");
    }

    @Test
    void shouldPadIpv6DestsAndNeverCutThem() {
        ServiceView s = svc(key(IpProto.TCP, "2001:db8::1", 80), ServiceConfig.of("wlc").withNetmask(128),
            dest("2001:db8::10", 80, 0, ForwardMethod.TUNNEL, 0, 7),
            dest("2001:db8:1234:5678:9abc:def0:1234:5678", 65535, 65535, ForwardMethod.LOCAL, 1, 2));
        StringBuilder sb = new StringBuilder();

        LIST.formatService(s, sb);

        // "[2001:db8::10]:80" (17) padded to 28; the 46-character name overflows the column
        assertThat(sb.toString()).isEqualTo(TITLE + lines(
            "TCP  [2001:db8::1]:80 wlc",
            "  -> [2001:db8::10]:80            Tunnel  0      0          7         ",
            "  -> [2001:db8:1234:5678:9abc:def0:1234:5678]:65535 Local   65535  1          2         "));
    }

    private static String row(ServiceView s) {
        StringBuilder sb = new StringBuilder();
        ServiceListing.defaultServiceRow(s, sb);
        return sb.toString();
    }
}
