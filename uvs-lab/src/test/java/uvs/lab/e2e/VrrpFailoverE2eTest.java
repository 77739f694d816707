package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.lab.demo.DirectorPair;
import uvs.lab.demo.KeepalivedServices;
import uvs.lab.net.ClusterConfigs;
import uvs.lab.net.ClusterDaemons;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.HaMode;
import uvs.lab.net.LabTopology;
import uvs.lab.net.PersistenceSummary;
import uvs.lab.net.RouteMode;
import uvs.lab.net.StreamSummary;
import uvs.lab.net.TrafficMain;
import uvs.lab.net.TrafficProcess;

/**
 * Active/standby behind keepalived's VRRP (root only): each director runs {@code keepalived --vrrp} and uvsd
 * importing the same keepalived.conf (wlc, persistence 300 s, direct routing, an {@code @uvs lvs_sync_daemon}
 * following the VRRP state); the router routes the VIP on-link and the MASTER holds it. For each way the MASTER
 * can fail, at least 99 % of 200 long-lived streams continue through d2 and at least 99 % of 100 persistent
 * clients keep their real server. keepalived runs with its defaults (advert_int 1).
 */
@Tag("root")
class VrrpFailoverE2eTest {
    private static final int STREAMS = 200;
    private static final int STREAMS6 = 50;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long TAKEOVER_MILLIS = 15_000;
    private static E2eLab lab;

    @BeforeAll
    static void bringUp() throws Exception {
        lab = E2eLab.open("vr", HaMode.VRRP, RouteMode.D1, GatewayMode.DR);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    /** Every case starts from both keepalived running and d1's link up. */
    @BeforeEach
    void restore() throws Exception {
        lab.stopDirectors();
        E2eLab.run(List.of("ip", "-n", lab.topo().director(1), "link", "set", LabTopology.ETH, "up"));
        ClusterDaemons k = lab.lab().daemons();
        for (int i = 1; i <= LabTopology.DIRECTORS; i++) {
            if (!k.keepalivedRunning(i)) {
                k.startKeepalived(i);
            }
        }
    }

    @Test
    void shouldGiveTheVipUpAndKeepFlowsWhenUvsdIsKilled() throws Exception {
        failOver("uvsd on d1 SIGKILLed", d -> d.d1().kill(), true);
    }

    @Test
    void shouldKeepFlowsWhenTheMasterMachineFails() throws Exception {
        failOver("uvsd and keepalived on d1 SIGKILLed", d -> d.killMachine(1), false);
    }

    @Test
    void shouldKeepFlowsWhenKeepalivedOnTheMasterIsKilled() throws Exception {
        failOver("keepalived on d1 SIGKILLed", d -> lab.lab().daemons().killKeepalived(1), false);
    }

    @Test
    void shouldKeepFlowsWhenTheMastersLinkGoesDown() throws Exception {
        failOver("d1's eth0 down", d -> E2eLab.run(List.of("ip", "-n", lab.topo().director(1), "link", "set",
            LabTopology.ETH, "down")), false);
    }

    @Test
    void shouldKeepNatFlowsOfBothFamiliesWhenTheMasterMachineFails() throws Exception {
        lab.lab().realServerGateway(GatewayMode.NAT);
        try {
            failOver("NAT, IPv4 and IPv6: uvsd and keepalived on d1 SIGKILLed", d -> d.killMachine(1), false, true);
        } finally {
            lab.lab().realServerGateway(GatewayMode.DR);
        }
    }

    @Test
    void shouldKeepFlowsOnAPlannedSwitchOver() throws Exception {
        failOver("d1's priority lowered below d2's", d -> {
            ClusterDaemons k = lab.lab().daemons();
            try {
                k.writeKeepalivedConf(1, ClusterConfigs.priority(2) - 50, 1, true,
                    KeepalivedServices.fromRules(rules(false)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            k.reloadKeepalived(1);
        }, true);
    }

    // wlc with persistence; NAT adds the IPv6 stream service (the NAT gateway moves with the VIP)
    private static String rules(boolean nat) {
        String method = nat ? "-m" : "-g";
        Rules r = new Rules().service(false, LabTopology.HTTP_PORT, "wlc", 300, method)
            .service(false, LabTopology.STREAM_PORT, "wlc", 300, method);
        return (nat ? r.service(true, LabTopology.STREAM_PORT, "wlc", 300, method) : r).toString();
    }

    /**
     * Streams and persistent clients through d1, then {@code failure}; d2 must forward within 15 s, the
     * streams continue and the clients keep their servers. With {@code d1GivesUp}, d1 must also have removed
     * the VIP (its keepalived saw uvsd fail, or was told to step down).
     */
    private void failOver(String what, DirectorFailure failure, boolean d1GivesUp) throws Exception {
        failOver(what, failure, d1GivesUp, false);
    }

    private void failOver(String what, DirectorFailure failure, boolean d1GivesUp, boolean nat) throws Exception {
        DirectorPair directors = lab.startDirectors(rules(nat), "", List.of(), true);
        TrafficProcess streams = lab.streams(false, STREAMS, LabTopology.CLIENT_SOURCE_COUNT);
        TrafficProcess streams6 = nat ? lab.streams(true, STREAMS6, LabTopology.CLIENT_SOURCE_COUNT) : null;
        TrafficProcess clients = lab.traffic(List.of("persistent", "--vip", LabTopology.VIP4,
            "--sources", LabTopology.CLIENT_SOURCES4, "--rounds", "1"));
        PersistenceSummary first = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        E2eLab.pause(Duration.ofSeconds(2));
        StreamSummary before = E2eLab.report(streams);
        StreamSummary before6 = nat ? E2eLab.report(streams6) : null;
        int synced = E2eLab.entriesOf(directors.d2(), LabTopology.STREAM_PORT,
            lab.clientFlows(LabTopology.STREAM_PORT)).size();
        String pre = "\ncase: " + what + "\nbefore " + before + "\nround 1 " + first + "\nstream entries synced to d2 "
            + synced;
        assertThat(lab.lab().holdsVip(1)).as("d1 is VRRP MASTER%s%s", pre, lab.diagnostics()).isTrue();
        assertThat(before.alive()).as("streams up through d1%s%s", pre, lab.diagnostics(streams)).isEqualTo(STREAMS);
        if (nat) {
            assertThat(before6.alive()).as("IPv6 streams up through d1 %s%s%s", before6, pre, lab.diagnostics(streams6))
                .isEqualTo(STREAMS6);
        }
        assertThat(synced).as("stream entries the backup on d2 learned by sync%s%s", pre, lab.diagnostics())
            .isGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(first.answered()).as("persistent clients answered%s%s", pre, lab.diagnostics(clients))
            .isEqualTo(LabTopology.CLIENT_SOURCE_COUNT);

        long baseline = directors.d2().forwarded();
        long t0 = System.nanoTime();
        failure.inflict(directors);
        long takeover = -1;
        while (System.nanoTime() - t0 < TAKEOVER_MILLIS * 1_000_000) {
            if (directors.d2().forwarded() > baseline) {
                takeover = (System.nanoTime() - t0) / 1_000_000;
                break;
            }
            E2eLab.pause(Duration.ofMillis(10));
        }
        E2eLab.pause(Duration.ofSeconds(3));
        StreamSummary after = E2eLab.report(streams);
        StreamSummary after6 = nat ? E2eLab.report(streams6) : null;
        clients.send(TrafficMain.ROUND);
        PersistenceSummary second = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        String why = pre + "\nafter " + after + (nat ? "\nIPv6 " + after6 : "") + "\nround 2 " + second + "\ntake-over " + takeover + " ms"
            + "\nd1 keepalived: " + tail(lab.lab().daemons().keepalivedLog(1)) + "\nd2 keepalived: "
            + tail(lab.lab().daemons().keepalivedLog(2)) + lab.diagnostics(streams, clients);
        E2eLab.note("vrrp, " + what + ": d2 forwarding after " + takeover + " ms; " + after + (nat ? "; IPv6 " + after6
            : "") + "; " + second);
        assertThat(takeover).as("d2 forwards within %d s%s", TAKEOVER_MILLIS / 1000, why).isNotNegative();
        assertThat(lab.lab().holdsVip(2)).as("d2 is VRRP MASTER%s", why).isTrue();
        if (d1GivesUp) {
            assertThat(lab.lab().holdsVip(1)).as("d1 gave the VIP up%s", why).isFalse();
        }
        assertThat(after.alive()).as("streams alive after failover (>= 99 %%)%s", why)
            .isGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(after.reset()).as("streams reset%s", why).isZero();
        if (nat) {
            assertThat(after6.alive()).as("IPv6 streams alive after failover (>= 99 %%)%s", why)
                .isGreaterThanOrEqualTo(STREAMS6 * 99 / 100);
        }
        assertThat(after.replies()).as("streams answered through d2%s", why)
            .isGreaterThan(before.replies() + STREAMS);
        assertThat(second.kept()).as("persistent clients kept their server through d2 (>= 99 %%)%s", why)
            .isGreaterThanOrEqualTo(LabTopology.CLIENT_SOURCE_COUNT * 99 / 100);
    }

    private static String tail(List<String> lines) {
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
    }
}
