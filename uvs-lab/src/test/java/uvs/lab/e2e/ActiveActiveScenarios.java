package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uvs.lab.demo.DirectorPair;
import uvs.lab.demo.LabDirector;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.HaMode;
import uvs.lab.net.LabTopology;
import uvs.lab.net.PersistenceSummary;
import uvs.lab.net.RouteMode;
import uvs.lab.net.StreamSummary;
import uvs.lab.net.TrafficMain;
import uvs.lab.net.TrafficProcess;

/**
 * Two active directors behind the router's ECMP route (root only, direct routing): when one is removed
 * mid-traffic its flows continue through the other, either because both pick the same real server for a
 * client (sh, mh; sloppy_tcp, no sync) or because the persistence templates were synced (wlc,
 * sync_persist_mode 1, sloppy_tcp). Subclasses say how the route is made and how a director is removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("root")
abstract class ActiveActiveScenarios {
    private static final int STREAMS = 200;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Each director must carry at least this many streams before the removal, or the test proves nothing. */
    private static final int MIN_PER_DIRECTOR = STREAMS / 5;
    /** Longer than a sync master holds a buffer before sending it. */
    private static final Duration TEMPLATE_SYNC_WAIT = Duration.ofSeconds(15);
    protected E2eLab lab;

    /** The lab's HA mode. */
    abstract HaMode ha();

    /** The lab's tag (namespace names). */
    abstract String tag();

    /** Makes the router send the VIP to both directors (before the directors start). */
    abstract void bothActive();

    /** Removes director {@code i} mid-traffic; returns when the router sends the VIP to the other only. */
    abstract void remove(DirectorPair directors, int i) throws Exception;

    @BeforeAll
    void bringUp() throws Exception {
        lab = E2eLab.open(tag(), ha(), RouteMode.ECMP, GatewayMode.DR);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "mh"})
    void shouldMoveStreamsToRemainingDirectorWhenSourceHashingWithoutSync(String scheduler) throws Exception {
        bothActive();
        String rules = new Rules().service(false, LabTopology.STREAM_PORT, scheduler, 0, "-g").toString();
        DirectorPair directors = lab.startDirectors(rules, "net.ipv4.vs.sloppy_tcp = 1\n", List.of(), false);
        TrafficProcess streams = lab.streams(false, STREAMS, LabTopology.CLIENT_SOURCE_COUNT);
        StreamSummary before = E2eLab.report(streams);
        Set<String> flows = lab.clientFlows(LabTopology.STREAM_PORT);
        int onD1 = E2eLab.entriesOf(directors.d1(), LabTopology.STREAM_PORT, flows).size();
        int onD2 = E2eLab.entriesOf(directors.d2(), LabTopology.STREAM_PORT, flows).size();
        Set<String> onBoth = new TreeSet<>();
        E2eLab.entriesOf(directors.d1(), LabTopology.STREAM_PORT, flows).forEach(c -> onBoth.add(c.source()));
        onBoth.retainAll(E2eLab.entriesOf(directors.d2(), LabTopology.STREAM_PORT, flows).stream()
            .map(ConnEntry::source).toList());
        String pre = "\nbefore " + before + "\nclient flows " + flows.size() + ", entries d1 " + onD1 + ", d2 " + onD2
            + ", flows on both " + onBoth + "\nd1:\n" + E2eLab.connections(directors.d1()) + "\nd2:\n"
            + E2eLab.connections(directors.d2());
        assertThat(before.alive()).as("streams up%s%s", pre, lab.diagnostics(streams)).isEqualTo(STREAMS);
        assertThat(flows).as("client's established streams%s", pre).hasSize(STREAMS);
        assertThat(onD1 + onD2).as("both directors' entries of those streams%s", pre).isEqualTo(STREAMS);
        assertThat(Math.min(onD1, onD2)).as("ECMP spread the streams over both directors%s", pre)
            .isGreaterThanOrEqualTo(MIN_PER_DIRECTOR);

        remove(directors, 2);
        E2eLab.pause(Duration.ofSeconds(3));
        StreamSummary after = E2eLab.report(streams);
        int nowOnD1 = E2eLab.entriesOf(directors.d1(), LabTopology.STREAM_PORT, flows).size();
        String why = pre + "\nafter " + after + "\nentries d1 after " + nowOnD1 + lab.diagnostics(streams);
        E2eLab.note(ha().cliName() + ": " + scheduler + " active/active without sync: d1 " + onD1 + ", d2 " + onD2 + " streams; after d2 "
            + "removed: " + after + "; d1 entries " + nowOnD1);
        assertThat(after.alive()).as("streams alive after d2 removed (>= 99 %%)%s", why)
            .isGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(after.reset() + after.serverChanged()).as("streams reset or moved to another server%s", why)
            .isZero();
        // d2's streams now have entries on d1, created by sloppy_tcp from their mid-stream packets
        assertThat(nowOnD1).as("d1 took d2's streams over%s", why).isGreaterThanOrEqualTo(after.alive());
    }

    // templates of the stream service (client port 0) on "from" that "to" lacks or has with another real server
    private static List<String> unsyncedTemplates(LabDirector from, LabDirector to) {
        Map<String, String> other = new HashMap<>();
        for (ConnEntry c : ConnEntry.parse(E2eLab.connections(to))) {
            if (!c.isConnection() && ConnEntry.port(c.virtual()) == LabTopology.STREAM_PORT) {
                other.put(ConnEntry.host(c.source()), c.destination());
            }
        }
        List<String> out = new ArrayList<>();
        for (ConnEntry c : ConnEntry.parse(E2eLab.connections(from))) {
            if (!c.isConnection() && ConnEntry.port(c.virtual()) == LabTopology.STREAM_PORT
                && !c.destination().equals(other.get(ConnEntry.host(c.source())))) {
                out.add(c.source() + "->" + c.destination() + " (" + to.name() + ": "
                    + other.get(ConnEntry.host(c.source())) + ")");
            }
        }
        return out;
    }

    /**
     * Waits (up to 15 s) until each director holds the other's stream templates: a master sends a partly
     * filled sync message after up to 2 s, later on a busy machine.
     */
    private static void awaitTemplateSync(DirectorPair d) throws InterruptedException {
        long deadline = System.nanoTime() + TEMPLATE_SYNC_WAIT.toNanos();
        while (System.nanoTime() - deadline < 0
            && !(unsyncedTemplates(d.d1(), d.d2()).isEmpty() && unsyncedTemplates(d.d2(), d.d1()).isEmpty())) {
            E2eLab.pause(Duration.ofMillis(250));
        }
    }

    @Test
    void shouldKeepStreamsAndPersistenceWhenDirectorRemovedWithTemplateSync() throws Exception {
        bothActive();
        String rules = new Rules().service(false, LabTopology.HTTP_PORT, "wlc", 300, "-g")
            .service(false, LabTopology.STREAM_PORT, "wlc", 300, "-g").toString();
        DirectorPair directors = lab.startDirectors(rules,
            "net.ipv4.vs.sync_persist_mode = 1\nnet.ipv4.vs.sloppy_tcp = 1\n", List.of(), true);
        // the router hashes on L4, so one source's flows reach both directors: a source's first stream has to be
        // scheduled and its template synced before its second stream arrives, or each director schedules its own
        // template for the source (a race IPVS active/active has too); hence two waves, one stream per source each
        int wave = LabTopology.CLIENT_SOURCE_COUNT;
        TrafficProcess first = lab.streams(false, wave, wave);
        TrafficProcess clients = lab.traffic(List.of("persistent", "--vip", LabTopology.VIP4,
            "--sources", LabTopology.CLIENT_SOURCES4, "--rounds", "1"));
        PersistenceSummary round1 = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        awaitTemplateSync(directors);
        TrafficProcess second = lab.streams(false, wave, wave);
        E2eLab.pause(Duration.ofSeconds(1));
        StreamSummary before1 = E2eLab.report(first);
        StreamSummary before2 = E2eLab.report(second);
        // sync_persist_mode 1 syncs only templates: each director's stream entries are its own flows
        Set<String> flows = lab.clientFlows(LabTopology.STREAM_PORT);
        int onD1 = E2eLab.entriesOf(directors.d1(), LabTopology.STREAM_PORT, flows).size();
        int onD2 = E2eLab.entriesOf(directors.d2(), LabTopology.STREAM_PORT, flows).size();
        List<String> unsynced = unsyncedTemplates(directors.d1(), directors.d2());
        String pre = "\nbefore " + before1 + "\n  and " + before2 + "\nround 1 " + round1 + "\nentries d1 " + onD1
            + ", d2 " + onD2 + "\nd1 stream templates missing or different on d2: " + unsynced;
        assertThat(before1.alive() + before2.alive()).as("streams up%s%s", pre, lab.diagnostics(first, second))
            .isEqualTo(STREAMS);
        assertThat(round1.answered()).as("persistent clients answered%s%s", pre, lab.diagnostics(clients))
            .isEqualTo(LabTopology.CLIENT_SOURCE_COUNT);
        assertThat(flows).as("client's established streams%s", pre).hasSize(STREAMS);
        assertThat(onD1 + onD2).as("both directors' entries of those streams (no conn sync)%s", pre)
            .isEqualTo(STREAMS);
        assertThat(Math.min(onD1, onD2)).as("ECMP spread the streams over both directors%s", pre)
            .isGreaterThanOrEqualTo(MIN_PER_DIRECTOR);
        assertThat(unsynced).as("d2 holds d1's stream templates%s%s", pre, lab.diagnostics()).isEmpty();

        remove(directors, 1);
        E2eLab.pause(Duration.ofSeconds(3));
        StreamSummary after1 = E2eLab.report(first);
        StreamSummary after2 = E2eLab.report(second);
        clients.send(TrafficMain.ROUND);
        PersistenceSummary round2 = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        String why = pre + "\nafter " + after1 + "\n  and " + after2 + "\nround 2 " + round2
            + lab.diagnostics(first, second, clients);
        E2eLab.note(ha().cliName() + ": wlc active/active with template sync: d1 " + onD1 + ", d2 " + onD2 + " streams; after d1 "
            + "removed: " + after1 + " / " + after2 + "; " + round2);
        assertThat(after1.alive() + after2.alive()).as("streams alive after d1 removed (>= 99 %%)%s", why)
            .isGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(after1.reset() + after1.serverChanged() + after2.reset() + after2.serverChanged())
            .as("streams reset or moved to another server%s", why).isZero();
        assertThat(round2.kept()).as("persistent clients kept their server through d2%s", why)
            .isEqualTo(LabTopology.CLIENT_SOURCE_COUNT);
    }
}
