package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uvs.lab.demo.LabDirector;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.LabTopology;
import uvs.lab.net.PersistenceSummary;
import uvs.lab.net.RouteMode;
import uvs.lab.net.StreamClients;
import uvs.lab.net.StreamSummary;
import uvs.lab.net.TrafficMain;
import uvs.lab.net.TrafficProcess;

/**
 * Taking a real server out of service behind a UVS director (root only, direct routing, rr): quiesced with
 * weight 0 it keeps its streams and gets no new connections; deleted, its connection entries stay
 * ({@code expire_nodest_conn=0}) or are expired at once ({@code expire_nodest_conn=1}).
 */
@Tag("root")
class RealServerRemovalE2eTest {
    private static final int STREAMS = 30;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RULES = new Rules().service(false, LabTopology.HTTP_PORT, "rr", 0, "-g")
        .service(false, LabTopology.STREAM_PORT, "rr", 0, "-g").toString();
    /** Longer than a stream's reply timeout: a stream that gets no answers has broken by then. */
    private static final Duration BREAK_WAIT = StreamClients.TIMEOUT.plusSeconds(1);
    private static E2eLab lab;

    @BeforeAll
    static void bringUp() throws Exception {
        lab = E2eLab.open("rm", RouteMode.D1, GatewayMode.DR);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldKeepStreamsAndSendNoNewConnectionsWhenRealServerQuiesced() throws Exception {
        LabDirector d1 = lab.startDirectors(RULES, "", List.of(), false).d1();
        TrafficProcess streams = lab.streams(false, STREAMS, STREAMS);
        StreamSummary before = E2eLab.report(streams);
        assertThat(before.servers()).as("rr spread the streams\n%s%s", before, lab.diagnostics(streams))
            .containsEntry("rs1", STREAMS / 3);
        for (int port : List.of(LabTopology.HTTP_PORT, LabTopology.STREAM_PORT)) {
            d1.uvsadmOk("-e", "-t", Rules.vip(false, port), "-r", Rules.realServer(false, 1, port), "-g", "-w", "0");
        }
        TrafficProcess clients = lab.traffic(List.of("persistent", "--vip", LabTopology.VIP4,
            "--sources", LabTopology.CLIENT_SOURCES4, "--rounds", "1"));
        PersistenceSummary http = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        // longer than a stream's reply timeout: a stream the quiesced server stopped serving would have broken
        E2eLab.pause(BREAK_WAIT);
        StreamSummary after = E2eLab.report(streams);
        String why = "\nbefore " + before + "\nafter " + after + "\nhttp " + http + lab.diagnostics(streams, clients);
        E2eLab.note("quiesced rs1: " + after + "; new HTTP " + http);
        assertThat(after.alive()).as("streams alive after weight 0%s", why).isEqualTo(STREAMS);
        assertThat(after.replies()).as("streams still answered%s", why).isGreaterThan(before.replies() + STREAMS);
        assertThat(http.answered()).as("new HTTP clients answered%s", why).isEqualTo(LabTopology.CLIENT_SOURCE_COUNT);
        assertThat(http.servers()).as("new HTTP connections avoid the quiesced rs1%s", why)
            .containsOnlyKeys("rs2", "rs3");
    }

    @ParameterizedTest(name = "expire_nodest_conn {0}")
    @ValueSource(ints = {0, 1})
    void shouldKeepOrExpireConnectionsOfDeletedRealServerByExpireNodestConn(int expire) throws Exception {
        LabDirector d1 = lab.startDirectors(RULES, "net.ipv4.vs.expire_nodest_conn = " + expire + "\n", List.of(),
            false).d1();
        TrafficProcess streams = lab.streams(false, STREAMS, STREAMS);
        StreamSummary before = E2eLab.report(streams);
        String rs1 = Rules.realServer(false, 1, LabTopology.STREAM_PORT);
        int onRs1 = toRs1(d1, rs1);
        assertThat(onRs1).as("d1 entries to rs1 before the delete\n%s%s", before, lab.diagnostics(streams))
            .isEqualTo(STREAMS / 3);
        long deleted = System.nanoTime();
        d1.uvsadmOk("-d", "-t", Rules.vip(false, LabTopology.STREAM_PORT), "-r", rs1);
        int left = toRs1(d1, rs1);
        while (left > 0 && System.nanoTime() - deleted < Duration.ofSeconds(3).toNanos()) {
            Thread.sleep(100);
            left = toRs1(d1, rs1);
        }
        long millis = Duration.ofNanos(System.nanoTime() - deleted).toMillis();
        E2eLab.pause(BREAK_WAIT.minusMillis(Math.min(millis, BREAK_WAIT.toMillis())));
        StreamSummary after = E2eLab.report(streams);
        String why = "\nbefore " + before + "\nafter " + after + "\nentries to rs1 left " + left + " after " + millis
            + " ms\n" + E2eLab.connections(d1) + lab.diagnostics(streams);
        E2eLab.note("expire_nodest_conn " + expire + ": " + left + " of " + onRs1 + " entries to rs1 left after "
            + millis + " ms; " + after);
        if (expire == 0) {
            assertThat(left).as("entries to the deleted rs1 stay until they time out%s", why).isEqualTo(onRs1);
        } else {
            assertThat(left).as("entries to the deleted rs1 expired%s", why).isZero();
        }
        // either way the other servers' streams are untouched and rs1's can get no answer any more
        assertThat(after.alive()).as("streams alive%s", why).isEqualTo(STREAMS - onRs1);
    }

    private static int toRs1(LabDirector d1, String rs1) {
        return (int) E2eLab.connections(d1, LabTopology.STREAM_PORT).stream()
            .filter(c -> c.destination().equals(rs1)).count();
    }
}
