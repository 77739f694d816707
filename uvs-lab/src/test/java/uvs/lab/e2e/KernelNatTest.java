package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.lab.demo.LabDirector;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.LabTopology;
import uvs.lab.net.RouteMode;
import uvs.lab.net.StreamSummary;
import uvs.lab.net.TrafficProcess;

/**
 * The kernel as a NAT director (root, qemu): 200 streams (wlc, persistence 300 s, masquerading) go through the
 * kernel, which is also the real servers' gateway (10.100.1.254) and syncs them (v1, syncid 1) to a UVS backup
 * on d2; the backup's entries and templates must equal the kernel's. The kernel dies, d2 takes the gateway
 * address and the VIP route, and at least 99 % of the streams must go on without a reset.
 */
@Tag(KernelTier.TAG)
class KernelNatTest {
    private static final int STREAMS = 200;
    private static final Duration SYNCED = Duration.ofSeconds(30);
    private static KernelLab k;

    @BeforeAll
    static void bringUp() throws Exception {
        k = KernelLab.open("kn");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (k != null) {
            k.close();
        }
    }

    @Test
    void shouldCarryTheKernelsNatStreamsAfterItDies() throws Exception {
        E2eLab lab = k.lab();
        String rules = new Rules().service(false, LabTopology.STREAM_PORT, "wlc", 300, "-m").toString();
        LabDirector uvs = lab.startDirectors(rules, "", List.of(), false).d2();
        uvs.uvsadmOk("--start-daemon", "backup", "--mcast-interface", LabTopology.SYNC_IF, "--syncid", "1");
        k.rules(rules);
        // replies come in and go out by eth0: no ICMP redirects, or the real servers would bypass the gateway
        k.vm().runOk("echo 1 > /proc/sys/net/ipv4/ip_forward && echo 0 > /proc/sys/net/ipv4/conf/all/send_redirects"
            + " && echo 0 > /proc/sys/net/ipv4/conf/eth0/send_redirects && ip addr add " + LabTopology.NAT_GATEWAY4
            + "/24 dev eth0");
        k.ipvsadm("--start-daemon", "master", "--mcast-interface", "eth1", "--syncid", "1");
        lab.lab().realServerGateway(GatewayMode.NAT);
        k.routeToKernel();

        TrafficProcess streams = lab.streams(false, STREAMS, LabTopology.CLIENT_SOURCE_COUNT);
        StreamSummary before = E2eLab.report(streams);
        assertThat(before.alive()).as("streams up through the kernel's NAT%s", k.diagnostics(streams))
            .isEqualTo(STREAMS);
        Set<String> flows = lab.clientFlows(LabTopology.STREAM_PORT);
        long deadline = System.nanoTime() + SYNCED.toNanos();
        while (entries(uvs.uvsadmOk("-L", "-n", "-c"), flows).size() < flows.size() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        String kernel = k.ipvsadm("-L", "-n", "-c");
        String mine = uvs.uvsadmOk("-L", "-n", "-c");
        String why = "\n--- kernel:\n" + kernel.lines().limit(12).toList() + "\n--- UVS:\n"
            + mine.lines().limit(12).toList();
        assertThat(entries(mine, flows)).as("UVS backup's NAT entries and templates%s", why)
            .isEqualTo(entries(kernel, flows)).hasSize(STREAMS + LabTopology.CLIENT_SOURCE_COUNT);

        k.vm().kill();
        uvs.uvsadmOk("--announce", LabTopology.NAT_GATEWAY4);
        lab.lab().routeMode(RouteMode.D2);
        E2eLab.pause(Duration.ofSeconds(3));
        StreamSummary after = E2eLab.report(streams);
        E2eLab.note("kernel NAT -> UVS failover: " + after);
        String when = "\nbefore " + before + "\nafter " + after + k.diagnostics(streams);
        assertThat(after.alive()).as("NAT streams alive after the kernel died (>= 99 %%)%s", when)
            .isGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(after.reset()).as("streams reset%s", when).isZero();
        assertThat(after.replies()).as("streams answered through UVS%s", when).isGreaterThan(before.replies() + STREAMS);
    }

    // the stream entries of flows and the stream templates, without timers
    private static Set<String> entries(String listing, Set<String> flows) {
        Set<String> s = new TreeSet<>();
        for (ConnEntry c : ConnEntry.parse(listing)) {
            boolean stream = c.virtual().equals(LabTopology.VIP4 + ":" + LabTopology.STREAM_PORT);
            if (stream && (c.isConnection() ? flows.contains(c.source()) : true)) {
                s.add(c.protocol() + " " + c.state() + " " + c.source() + " " + c.virtual() + " " + c.destination());
            }
        }
        return s;
    }
}
