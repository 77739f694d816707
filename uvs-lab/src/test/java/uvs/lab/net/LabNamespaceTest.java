package uvs.lab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real lab in namespaces with a unique prefix (root only; skipped with a message otherwise). No director
 * runs: traffic goes from the client through the router to the real servers' own addresses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("root")
class LabNamespaceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Lab lab;

    @BeforeAll
    static void bringUp() {
        String prefix = "uvst" + ProcessHandle.current().pid();
        String probe = prefix + "-probe";
        Shell.Result r = Shell.tryRun(List.of("ip", "netns", "add", probe), null);
        Shell.tryRun(List.of("ip", "netns", "del", probe), null);
        assumeTrue(r.ok(), "namespace lab tests need root: 'ip netns add' failed: " + r.err().strip());
        lab = new Lab(new LabTopology(prefix));
        assertThat(lab.up(RouteMode.ECMP, GatewayMode.DR)).isTrue();
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.down();
            assertThat(lab.existingNamespaces()).isEmpty();
        }
    }

    @Test
    @Order(1)
    void shouldCreateNamespacesAddressesAndRoutes() {
        LabTopology t = lab.topology();
        assertThat(lab.existingNamespaces()).containsExactlyElementsOf(t.namespaces());
        assertThat(ip(t.client(), "addr", "show", "dev", "eth0")).contains("10.100.0.2/24", "fd00:100::2/64",
            "10.100.0.199/24", "fd00:100::163/64");
        assertThat(ip(t.router(), "addr", "show", "dev", "br0")).contains("10.100.1.1/24", "fd00:100:1::1/64");
        assertThat(ip(t.director(2), "route", "show")).contains("224.0.0.0/4 dev sync0",
            "default via 10.100.1.1 dev eth0");
        assertThat(ip(t.realServer(3), "addr", "show", "dev", "lo")).contains("10.100.2.100/32",
            "fd00:100:2::100/128");
        assertThat(ip(t.realServer(3), "addr", "show", "dev", "eth0")).contains("10.100.1.13/24")
            .doesNotContain("tentative");
        assertThat(lab.routeMode()).contains(RouteMode.ECMP);
        assertThat(lab.realServerGateway()).contains(GatewayMode.DR);
        assertThat(lab.status()).contains("lab " + t.prefix() + ": up, route ecmp, real-server gateway dr")
            .containsPattern("rs2 +" + t.realServer(2) + " +\\d+ +running");
    }

    @Test
    @Order(2)
    void shouldKeepHealthyLabOnSecondUp() {
        assertThat(lab.up(RouteMode.ECMP, GatewayMode.DR)).isFalse();
        assertThat(lab.healthy()).isTrue();
    }

    @Test
    @Order(3)
    void shouldKeepStreamsAliveFromClientThroughRouterToRealServer() throws Exception {
        try (TrafficProcess p = TrafficProcess.start(lab.topology().client(), List.of("streams", "--vip",
            LabTopology.realServer4(1), "--count", "5", "--interval-ms", "50", "--duration-s", "2"))) {
            StreamSummary s = StreamSummary.parse(p.await("final", WAIT));
            assertThat(s.alive()).as(String.join("\n", p.transcript())).isEqualTo(5);
            assertThat(s.servers()).containsOnlyKeys("rs1");
            assertThat(s.replies()).isGreaterThanOrEqualTo(5 * 10);
        }
    }

    @Test
    @Order(4)
    void shouldReportOnCommandAndReachRealServerOverIpv6() throws Exception {
        try (TrafficProcess p = TrafficProcess.start(lab.topology().client(), List.of("streams", "--vip",
            LabTopology.realServer6(2), "--count", "3", "--interval-ms", "50", "--progress-ms", "0"))) {
            Thread.sleep(500);
            p.send(TrafficMain.REPORT);
            StreamSummary report = StreamSummary.parse(p.await(TrafficMain.REPORT, WAIT));
            assertThat(report.servers()).as(String.join("\n", p.transcript())).containsOnlyKeys("rs2");
            p.send(TrafficMain.STOP);
            assertThat(StreamSummary.parse(p.await("final", WAIT)).alive()).isEqualTo(3);
        }
    }

    @Test
    @Order(5)
    void shouldAnswerHttpFromManyClientSources() throws Exception {
        try (TrafficProcess p = TrafficProcess.start(lab.topology().client(), List.of("persistent", "--vip",
            LabTopology.realServer4(3), "--sources", LabTopology.CLIENT_SOURCES4, "--source-count", "20"))) {
            PersistenceSummary first = PersistenceSummary.parse(p.await(TrafficMain.ROUND, WAIT));
            assertThat(first.answered()).as(String.join("\n", p.transcript())).isEqualTo(20);
            assertThat(first.servers()).containsOnlyKeys("rs3");
            p.send(TrafficMain.ROUND);
            assertThat(PersistenceSummary.parse(p.await(TrafficMain.ROUND, WAIT)).kept()).isEqualTo(20);
            p.send(TrafficMain.STOP);
            p.await("final", WAIT);
        }
    }

    @Test
    @Order(6)
    void shouldSwitchRouteAndGatewayModes() {
        String router = lab.topology().router();
        lab.routeMode(RouteMode.D2);
        assertThat(ip(router, "route", "show", LabTopology.VIP4)).isEqualTo("10.100.2.100 via 10.100.1.3 dev br0");
        assertThat(ip(router, "-6", "route", "show", LabTopology.VIP6)).startsWith(
            "fd00:100:2::100 via fd00:100:1::3 dev br0");
        lab.routeMode(RouteMode.D1);
        assertThat(lab.routeMode()).contains(RouteMode.D1);
        lab.routeMode(RouteMode.ECMP);
        assertThat(ip(router, "route", "show", LabTopology.VIP4)).contains("nexthop via 10.100.1.2 dev br0",
            "nexthop via 10.100.1.3 dev br0");
        lab.realServerGateway(GatewayMode.NAT);
        assertThat(ip(lab.topology().realServer(2), "route", "show", "default")).isEqualTo(
            "default via 10.100.1.254 dev eth0");
        assertThat(ip(lab.topology().realServer(2), "-6", "route", "show", "default")).startsWith(
            "default via fd00:100:1::254 dev eth0");
        lab.realServerGateway(GatewayMode.DR);
        assertThat(lab.realServerGateway()).contains(GatewayMode.DR);
    }

    @Test
    @Order(7)
    void shouldRebuildPartialLabAndLeaveNothingAfterDown() {
        LabTopology t = lab.topology();
        lab.down();
        assertThat(lab.existingNamespaces()).isEmpty();
        // what an interrupted up leaves: some namespaces, no servers, no completion mark
        Shell.run(List.of("ip", "netns", "add", t.client()));
        Shell.run(List.of("ip", "netns", "add", t.router()));
        assertThat(lab.healthy()).isFalse();
        assertThat(lab.status()).contains("incomplete").contains(t.director(1) + " ").contains("(missing)");
        assertThat(lab.up(RouteMode.D1, GatewayMode.DR)).isTrue();
        assertThat(lab.healthy()).isTrue();
        assertThat(lab.routeMode()).contains(RouteMode.D1);
        long pid = lab.serverPid(1).orElseThrow();
        lab.down();
        assertThat(lab.existingNamespaces()).isEmpty();
        assertThat(Lab.gone(pid)).as("real server process %d", pid).isTrue();
        Shell.run(List.of("ip", "netns", "add", t.realServer(2)));
        lab.down();
        assertThat(lab.existingNamespaces()).isEmpty();
    }

    private static String ip(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
        argv.addAll(List.of(args));
        return Shell.run(argv).strip();
    }
}
