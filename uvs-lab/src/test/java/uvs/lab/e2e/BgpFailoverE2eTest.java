package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import uvs.lab.demo.DirectorPair;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.HaMode;
import uvs.lab.net.LabTopology;
import uvs.lab.net.PersistenceSummary;
import uvs.lab.net.RouteMode;
import uvs.lab.net.StreamSummary;
import uvs.lab.net.TrafficMain;
import uvs.lab.net.TrafficProcess;

/**
 * Active/active behind BGP + BFD (root only): both directors' uvsd announce the VIP through their BIRD, the
 * router's BIRD spreads flows over both (ECMP), the directors sync every connection both ways (wlc, persistence
 * 300 s, direct routing). When d1's uvsd is killed, or the whole machine (uvsd and BIRD), the router must drop
 * d1's next hop within 1 s, at least 99 % of 200 streams continue through d2 and at least 99 % of 100 persistent
 * clients keep their server; when d1 is drained (SIGTERM), no established stream is lost.
 */
@Tag("root")
class BgpFailoverE2eTest {
    private static final int STREAMS = 200;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long WITHDRAW_MILLIS = 1000;
    private static final int DRAIN_SECONDS = 3;
    private static E2eLab lab;

    @BeforeAll
    static void bringUp() throws Exception {
        lab = E2eLab.open("bg", HaMode.BGP, RouteMode.ECMP, GatewayMode.DR);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    /** Every case starts with both directors' BIRD running. */
    @BeforeEach
    void restore() throws Exception {
        lab.stopDirectors();
        for (int i = 1; i <= LabTopology.DIRECTORS; i++) {
            if (!lab.lab().daemons().birdRunning(i)) {
                lab.lab().daemons().startBird(i);
            }
        }
    }

    @Test
    void shouldWithdrawWithinOneSecondAndKeepFlowsWhenUvsdIsKilled() throws Exception {
        failOver("uvsd on d1 SIGKILLed", d -> d.d1().kill(), true);
    }

    @Test
    void shouldWithdrawByBfdAndKeepFlowsWhenTheMachineFails() throws Exception {
        failOver("uvsd and BIRD on d1 SIGKILLed", d -> d.killMachine(1), true);
    }

    @Test
    void shouldLoseNoEstablishedFlowWhenDrained() throws Exception {
        failOver("d1 drained (SIGTERM, " + DRAIN_SECONDS + " s grace)", d -> d.d1().terminate(0), false);
    }

    @Test
    void shouldAnnounceAVipOnlyWhileItHasARealServerToSendTo() throws Exception {
        String rules = new Rules().service(false, LabTopology.STREAM_PORT, "wlc", 0, "-g")
            .service(true, LabTopology.STREAM_PORT, "wlc", 0, "-g").toString();
        DirectorPair directors = lab.startDirectors(rules, "", List.of(), false);
        await(true, List.of(1, 2), "IPv6 VIP announced by both");
        String vip = Rules.vip(false, LabTopology.STREAM_PORT);
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            directors.d1().uvsadmOk("-e", "-t", vip, "-r", Rules.realServer(false, i, LabTopology.STREAM_PORT), "-g",
                "-w", "0");
        }
        await(false, List.of(2), "d1 withdrew the IPv4 VIP: its service has only weight-0 real servers");
        assertThat(lab.lab().vipNextHops(true)).as("the IPv6 VIP stays announced by both").isEqualTo(List.of(1, 2));
        directors.d1().uvsadmOk("-e", "-t", vip, "-r", Rules.realServer(false, 2, LabTopology.STREAM_PORT), "-g",
            "-w", "1");
        await(false, List.of(1, 2), "d1 announces the IPv4 VIP again");
    }

    private static void await(boolean v6, List<Integer> directors, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!lab.lab().vipNextHops(v6).equals(directors) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(lab.lab().vipNextHops(v6)).as("%s within 5 s%s", what, lab.diagnostics()).isEqualTo(directors);
    }

    private void failOver(String what, DirectorFailure failure, boolean killed) throws Exception {
        String rules = new Rules().service(false, LabTopology.HTTP_PORT, "wlc", 300, "-g")
            .service(false, LabTopology.STREAM_PORT, "wlc", 300, "-g").toString();
        DirectorPair directors = lab.startDirectors(rules, "", List.of(), true, d -> d.drainSeconds(DRAIN_SECONDS));
        TrafficProcess streams = lab.streams(false, STREAMS, LabTopology.CLIENT_SOURCE_COUNT);
        TrafficProcess clients = lab.traffic(List.of("persistent", "--vip", LabTopology.VIP4,
            "--sources", LabTopology.CLIENT_SOURCES4, "--rounds", "1"));
        PersistenceSummary first = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        E2eLab.pause(Duration.ofSeconds(3)); // a partly filled sync message leaves after up to 2 s
        StreamSummary before = E2eLab.report(streams);
        int onD1 = E2eLab.entriesOf(directors.d1(), LabTopology.STREAM_PORT, lab.clientFlows(LabTopology.STREAM_PORT))
            .size();
        int onD2 = E2eLab.entriesOf(directors.d2(), LabTopology.STREAM_PORT, lab.clientFlows(LabTopology.STREAM_PORT))
            .size();
        String pre = "\ncase: " + what + "\nbefore " + before + "\nround 1 " + first + "\nstream entries d1 " + onD1
            + ", d2 " + onD2 + "\nrouter: " + lab.lab().daemons().routerBirdc("show route for " + LabTopology.VIP4);
        assertThat(lab.lab().vipNextHops()).as("router sends the VIP to both%s%s%s", pre,
            lab.lab().daemons().routerBirdc("show protocols"), lab.diagnostics()).isEqualTo(List.of(1, 2));
        assertThat(before.alive()).as("streams up%s%s", pre, lab.diagnostics(streams)).isEqualTo(STREAMS);
        assertThat(onD2).as("d2 holds every stream (its own and d1's by sync)%s%s", pre, lab.diagnostics())
            .isGreaterThanOrEqualTo(STREAMS * 99 / 100);

        long t0 = System.nanoTime();
        failure.inflict(directors);
        while (!lab.lab().vipNextHops().equals(List.of(2)) && System.nanoTime() - t0 < 10_000_000_000L) {
            Thread.sleep(5);
        }
        long withdrawn = (System.nanoTime() - t0) / 1_000_000;
        E2eLab.pause(Duration.ofSeconds(3));
        StreamSummary after = E2eLab.report(streams);
        clients.send(TrafficMain.ROUND);
        PersistenceSummary second = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        String router = lab.lab().daemons().routerBirdc("show route for " + LabTopology.VIP4);
        boolean d1Exited = killed || directors.d1().terminate(DRAIN_SECONDS * 1000L + 10_000);
        String why = pre + "\nafter " + after + "\nround 2 " + second + "\nwithdrawn after " + withdrawn + " ms"
            + "\nrouter after: " + router + lab.diagnostics(streams, clients);
        E2eLab.note("bgp, " + what + ": d1's next hop withdrawn after " + withdrawn + " ms; " + after + "; " + second);
        assertThat(lab.lab().vipNextHops()).as("router sends the VIP to d2 only%s", why).isEqualTo(List.of(2));
        assertThat(router).as("router's BIRD has d1's route withdrawn%s", why).doesNotContain("dir1v4");
        assertThat(withdrawn).as("ms until the router withdrew d1%s", why).isLessThanOrEqualTo(WITHDRAW_MILLIS);
        assertThat(after.alive()).as("streams alive (>= 99 %%)%s", why).isGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(after.reset()).as("streams reset%s", why).isZero();
        if (!killed) {
            assertThat(after.alive()).as("a drain loses no established stream%s", why).isEqualTo(STREAMS);
            assertThat(d1Exited).as("d1 exits after its grace period%s", why).isTrue();
        }
        assertThat(second.kept()).as("persistent clients kept their server (>= 99 %%)%s", why)
            .isGreaterThanOrEqualTo(LabTopology.CLIENT_SOURCE_COUNT * 99 / 100);
    }
}
