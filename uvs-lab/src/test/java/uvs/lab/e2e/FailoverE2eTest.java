package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.lab.demo.DirectorPair;
import uvs.lab.demo.LabDirector;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.LabTopology;
import uvs.lab.net.PersistenceSummary;
import uvs.lab.net.RouteMode;
import uvs.lab.net.StreamSummary;
import uvs.lab.net.TrafficMain;
import uvs.lab.net.TrafficProcess;

/**
 * Active/standby failover (root only): d1 active, d2 standby, wlc with persistence and direct routing, sync
 * master+backup on both; d1 is killed mid-traffic and the router moved to d2. At least 99 % of 200 long-lived
 * streams must continue without a reset and every persistent client must keep its real server. Run twice:
 * over AF_PACKET, and over AF_XDP with the XDP fast path, where d1 forwards the established streams in its
 * XDP program and d2 installs the synced connections into its own once their packets reach it.
 */
@Tag("root")
class FailoverE2eTest {
    private static final int STREAMS = 200;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static E2eLab lab;

    @BeforeAll
    static void bringUp() throws Exception {
        lab = E2eLab.open("fo", RouteMode.D1, GatewayMode.DR);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldKeepStreamsAndPersistenceWhenActiveDirectorKilled() throws Exception {
        failOver(false);
    }

    @Test
    void shouldKeepStreamsAndPersistenceWithTheFastPath() throws Exception {
        failOver(true);
    }

    private void failOver(boolean fastPath) throws Exception {
        lab.lab().routeMode(RouteMode.D1);
        String rules = new Rules().service(false, LabTopology.HTTP_PORT, "wlc", 300, "-g")
            .service(false, LabTopology.STREAM_PORT, "wlc", 300, "-g").toString();
        if (fastPath) {
            lab.lab().acceptXdpFrames(1);
            lab.lab().acceptXdpFrames(2);
        }
        DirectorPair directors = lab.startDirectors(rules, "", List.of(), true,
            d -> {
                if (fastPath) {
                    d.io("af_xdp").options(List.of("--fast-path", "on"));
                }
            });
        TrafficProcess streams = lab.streams(false, STREAMS, LabTopology.CLIENT_SOURCE_COUNT);
        TrafficProcess clients = lab.traffic(List.of("persistent", "--vip", LabTopology.VIP4,
            "--sources", LabTopology.CLIENT_SOURCES4, "--rounds", "1"));
        PersistenceSummary first = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        E2eLab.pause(Duration.ofSeconds(2));
        StreamSummary before = E2eLab.report(streams);
        int synced = E2eLab.entriesOf(directors.d2(), LabTopology.STREAM_PORT,
            lab.clientFlows(LabTopology.STREAM_PORT)).size();
        String pre = "\nbefore " + before + "\nround 1 " + first + "\nstream entries synced to d2 " + synced;
        assertThat(before.alive()).as("streams up through d1%s%s", pre, lab.diagnostics(streams))
            .isEqualTo(STREAMS);
        assertThat(synced).as("stream entries the backup on d2 learned by sync%s%s", pre, lab.diagnostics())
            .isGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(first.answered()).as("persistent clients answered%s%s", pre, lab.diagnostics(clients))
            .isEqualTo(LabTopology.CLIENT_SOURCE_COUNT);
        if (fastPath) {
            LabDirector.FastPathCounts d1 = directors.d1().fastPath();
            assertThat(d1.installs()).as("streams d1 put on its fast path: %s%s%s", d1, pre, lab.diagnostics())
                .isGreaterThanOrEqualTo(STREAMS * 99 / 100);
        }

        long killed = System.nanoTime();
        directors.failOver(List.of());
        lab.lab().routeMode(RouteMode.D2);
        long switched = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        E2eLab.pause(Duration.ofSeconds(3));
        StreamSummary after = E2eLab.report(streams);
        clients.send(TrafficMain.ROUND);
        PersistenceSummary second = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        String why = pre + "\nafter " + after + "\nround 2 " + second + "\nkill to route switch " + switched + " ms"
            + lab.diagnostics(streams, clients);
        E2eLab.note("failover: " + after + "; " + second + "; synced stream entries on d2 before " + synced
            + "; kill+route switch " + switched + " ms");
        assertThat(after.alive()).as("streams alive after failover (>= 99 %%)%s", why)
            .isGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(after.reset()).as("streams reset%s", why).isZero();
        assertThat(after.replies()).as("streams answered through d2%s", why)
            .isGreaterThan(before.replies() + STREAMS);
        assertThat(second.kept()).as("persistent clients kept their server through d2%s", why)
            .isEqualTo(LabTopology.CLIENT_SOURCE_COUNT);
        if (fastPath) {
            // the synced streams' packets reached d2's worker first, which installed them; the rest went by XDP
            LabDirector.FastPathCounts d2 = directors.d2().fastPath();
            assertThat(d2.installs()).as("synced streams d2 put on its fast path: %s%s", d2, why)
                .isGreaterThanOrEqualTo(STREAMS * 99 / 100);
            assertThat(d2.folded()).as("packets d2's XDP program forwarded: %s%s", d2, why).isPositive();
        }
    }
}
