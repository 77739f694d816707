package uvs.lab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The commands that build a lab, checked as data (no root needed). */
class LabSetupTest {
    private final LabSetup setup = new LabSetup(new LabTopology("t"));

    @Test
    void shouldRouteVipsByMode() {
        assertThat(LabSetup.vipRoutes(RouteMode.ECMP)).containsExactly(
            "route replace 10.100.2.100/32 nexthop via 10.100.1.2 dev br0 nexthop via 10.100.1.3 dev br0",
            "route replace fd00:100:2::100/128 nexthop via fd00:100:1::2 dev br0 nexthop via fd00:100:1::3 dev br0");
        assertThat(LabSetup.vipRoutes(RouteMode.D1)).containsExactly("route replace 10.100.2.100/32 via 10.100.1.2 dev br0",
            "route replace fd00:100:2::100/128 via fd00:100:1::2 dev br0");
        assertThat(LabSetup.vipRoutes(RouteMode.D2)).containsExactly("route replace 10.100.2.100/32 via 10.100.1.3 dev br0",
            "route replace fd00:100:2::100/128 via fd00:100:1::3 dev br0");
    }

    @Test
    void shouldPointRealServersAtRouterOrNatGateway() {
        assertThat(LabSetup.gatewayRoutes(GatewayMode.DR)).containsExactly(
            "route replace default via 10.100.1.1 dev eth0", "route replace default via fd00:100:1::1 dev eth0");
        assertThat(LabSetup.gatewayRoutes(GatewayMode.NAT)).containsExactly(
            "route replace default via 10.100.1.254 dev eth0", "route replace default via fd00:100:1::254 dev eth0");
    }

    @Test
    void shouldCreateEveryVethFromOneSideOnly() {
        Map<String, List<String>> links = setup.links();
        assertThat(links.get("t-client")).containsExactly("link add eth0 type veth peer name cl0 netns t-router");
        assertThat(links.get("t-d1")).containsExactly("link add eth0 type veth peer name d1 netns t-router",
            "link add sync0 type veth peer name sync0 netns t-d2");
        assertThat(links.get("t-d2")).containsExactly("link add eth0 type veth peer name d2 netns t-router");
        assertThat(links.get("t-rs3")).containsExactly("link add eth0 type veth peer name rs3 netns t-router");
    }

    @Test
    void shouldConfigureRolesAsTheLabNeeds() {
        Map<String, List<String>> conf = setup.configuration(RouteMode.D1, GatewayMode.NAT);
        assertThat(conf.get("t-router")).contains("link set rs2 master br0", "addr add 10.100.1.1/24 dev br0",
            "addr add fd00:100:1::1/64 dev br0 nodad", "route replace 10.100.2.100/32 via 10.100.1.2 dev br0");
        assertThat(conf.get("t-d2")).contains("addr add 10.100.3.2/24 dev sync0", "route add 224.0.0.0/4 dev sync0",
            "route add default via 10.100.1.1 dev eth0");
        assertThat(conf.get("t-rs2")).contains("addr add 10.100.2.100/32 dev lo",
            "addr add fd00:100:2::100/128 dev lo nodad", "addr add 10.100.1.12/24 dev eth0",
            "route replace default via 10.100.1.254 dev eth0");
        // 2 own addresses, 200 extra sources, lo and eth0 up, 2 default routes
        assertThat(conf.get("t-client")).hasSize(206).contains("addr add 10.100.0.199/24 dev eth0",
            "addr add fd00:100::163/64 dev eth0 nodad", "route add default via fd00:100::1 dev eth0");
    }

    @Test
    void shouldSetForwardingHashAndArpSysctlsPerRole() {
        Map<String, List<String>> s = setup.sysctls();
        assertThat(s.get("t-router")).contains("net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1",
            "net.ipv4.fib_multipath_hash_policy=3", "net.ipv4.fib_multipath_hash_fields=0x0037",
            "net.ipv6.fib_multipath_hash_policy=3", "net.ipv6.fib_multipath_hash_fields=0x0037");
        assertThat(s.get("t-d1")).contains("net.ipv4.ip_forward=0", "net.ipv4.conf.all.rp_filter=0");
        assertThat(s.get("t-rs1")).contains("net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2");
        assertThat(s.values()).allSatisfy(l -> assertThat(l).contains("net.ipv6.conf.default.accept_dad=0"));
        assertThat(setup.interfaceSysctls().get("t-rs3")).containsExactly("net.ipv4.conf.eth0.arp_ignore=1",
            "net.ipv4.conf.eth0.arp_announce=2");
    }
}
