package uvs.net.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import uvs.core.net.Af;

class RouteTableTest {
    // Addresses are the u32 in memory printed as a little-endian number: "0101A8C0" is C0.A8.01.01 = 192.168.1.1
    private static final String V4 = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
            eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
            eth1\t0000000A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
            eth2\t0002000A\t0102000A\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0
            eth3\t0003000A\t00000000\t0000\t0\t0\t0\t00FFFFFF\t0\t0\t0
            """;
    private static final String V6 = """
            20010db8000000000000000000000000 40 00000000000000000000000000000000 00 \
            00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
            00000000000000000000000000000000 00 00000000000000000000000000000000 00 \
            fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth0
            00000000000000000000000000000000 00 00000000000000000000000000000000 00 \
            00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
            """;

    private final RouteTable table = RouteTable.parse(V4, V6);

    @Test
    void shouldPickOnLinkSubnet() {
        RouteTable.Route r = table.lookup(Af.INET, 0, 0xC0A8014DL); // 192.168.1.77
        assertThat(r.iface()).isEqualTo("eth0");
        assertThat(r.hasGateway()).isFalse();
        assertThat(r.prefixLength()).isEqualTo(24);
        assertThat(r.destLo()).isEqualTo(0xC0A80100L);
    }

    @Test
    void shouldFallBackToDefaultGateway() {
        RouteTable.Route r = table.lookup(Af.INET, 0, 0x08080808L); // 8.8.8.8
        assertThat(r.iface()).isEqualTo("eth0");
        assertThat(r.hasGateway()).isTrue();
        assertThat(r.gatewayLo()).isEqualTo(0xC0A80101L); // 192.168.1.1
    }

    @Test
    void shouldPreferLongestPrefix() {
        RouteTable.Route r = table.lookup(Af.INET, 0, 0x0A000209L); // 10.0.2.9: /24 beats /16
        assertThat(r.iface()).isEqualTo("eth2");
        assertThat(r.gatewayLo()).isEqualTo(0x0A000201L); // 10.0.2.1
        assertThat(table.lookup(Af.INET, 0, 0x0A000909L).iface()).isEqualTo("eth1"); // 10.0.9.9 in 10.0/16
    }

    @Test
    void shouldIgnoreRoutesThatAreNotUp() {
        // 10.0.3.0/24 on eth3 is down, so 10.0.3.1 falls to 10.0.0.0/16
        assertThat(table.lookup(Af.INET, 0, 0x0A000301L).iface()).isEqualTo("eth1");
    }

    @Test
    void shouldPreferLowerMetricAmongEqualPrefixes() {
        String v4 = V4 + "eth9\t00000000\t0109000A\t0003\t0\t0\t50\t00000000\t0\t0\t0\n";
        assertThat(RouteTable.parse(v4, "").lookup(Af.INET, 0, 0x08080808L).iface()).isEqualTo("eth9");
    }

    @Test
    void shouldLookUpIpv6() {
        RouteTable.Route onLink = table.lookup(Af.INET6, 0x20010db800000000L, 5); // 2001:db8::5
        assertThat(onLink.iface()).isEqualTo("eth0");
        assertThat(onLink.hasGateway()).isFalse();
        assertThat(onLink.prefixLength()).isEqualTo(64);
        RouteTable.Route viaGateway = table.lookup(Af.INET6, 0x20010db900000000L, 1); // 2001:db9::1
        assertThat(viaGateway.hasGateway()).isTrue();
        assertThat(viaGateway.gatewayHi()).isEqualTo(0xfe80000000000000L);
        assertThat(viaGateway.gatewayLo()).isEqualTo(1L);
    }

    @Test
    void shouldSkipRejectRoutes() {
        String onlyReject = V6.lines().filter(l -> l.endsWith("lo")).reduce("", (a, b) -> a + b + "\n");
        assertThat(RouteTable.parse("", onlyReject).lookup(Af.INET6, 0x20010db800000000L, 5)).isNull();
    }

    @Test
    void shouldNotMatchOtherFamily() {
        assertThat(RouteTable.parse(V4, "").lookup(Af.INET6, 0, 0x08080808L)).isNull();
    }

    @Test
    void shouldNameMalformedLine() {
        assertThatThrownBy(() -> RouteTable.parse("header\neth0\tzz\n", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eth0\tzz");
        assertThatThrownBy(() -> RouteTable.parse("", "abc 40\n")).hasMessageContaining("'abc 40'");
    }

    @Test
    void shouldLoadThisHostsTables() {
        assertThat(RouteTable.load().routes()).isNotNull();
    }
}
