package uvs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The client population keys on small simulations: each asserts an effect on the directors' counters or on the
 * drawn population that the key must cause.
 */
class PopulationTest {
    private static final long SEED = 1;
    private static final int ACTIVE = 0;
    private static final int INACT = 1;
    private static final int PERSIST = 2;

    private static SimResult run(String... lines) {
        List<String> all = new ArrayList<>(List.of(lines));
        return new Simulation(ScenarioFile.parse("pop.sim", all), SEED).run();
    }

    private static long last(SimResult r, int counter) {
        return r.samples().getLast().a()[counter];
    }

    private static double number(SimResult r, String name) {
        String v = r.summary().get(name);
        assertThat(v).as("%s (seed %d)", name, r.seed()).isNotNull();
        return Double.parseDouble(v.endsWith("%") ? v.substring(0, v.length() - 1) : v);
    }

    /** 20 connections/s of 10 packets 0.5 s apart (4.5 s established), 200 s, on A only. */
    private static SimResult closing(String close) {
        return run("clients = 2000", "new_conns_per_second = 20", "duration = 200", "connection_packets = 10",
            "packet_gap_ms = 500", "close = " + close);
    }

    @Test
    void shouldKeepAbandonedConnectionsActiveAndResetOnesBriefly() {
        SimResult fin = closing("fin");
        SimResult rst = closing("rst");
        SimResult abandon = closing("abandon");
        // fin: ~20 x 4.5 s = 90 active, 20 x 120 s TIME_WAIT = 2400 inactive
        assertThat(last(fin, ACTIVE)).as("seed %d", SEED).isBetween(70L, 110L);
        assertThat(last(fin, INACT)).as("seed %d", SEED).isBetween(2200L, 2600L);
        // abandon: nothing ends before the 900 s ESTABLISHED timeout, so all 200 s of connections are active
        assertThat(last(abandon, ACTIVE)).as("seed %d", SEED).isBetween(3700L, 4100L);
        assertThat(last(abandon, INACT)).as("seed %d", SEED).isZero();
        // rst: CLOSE lasts 10 s instead of TIME_WAIT's 120 s: ~200 inactive
        assertThat(last(rst, ACTIVE)).as("seed %d", SEED).isBetween(70L, 110L);
        assertThat(last(rst, INACT)).as("seed %d", SEED).isBetween(150L, 250L);
        // the backup follows the close in all three cases (synced state changes and timeouts)
        assertThat(number(abandon, "agreement_active")).as("seed %d", SEED).isGreaterThanOrEqualTo(99.0);
        assertThat(number(rst, "agreement_inact")).as("seed %d", SEED).isGreaterThanOrEqualTo(99.0);
    }

    @Test
    void shouldCloseConnectionsInTheSharesOfAMix() {
        SimResult r = closing("fin:0.8,rst:0.1,abandon:0.1");
        double total = number(r, "closed_fin") + number(r, "closed_rst") + number(r, "abandoned");
        // ~4000 connections: binomial sd of a 10 % share is ~0.5 %
        assertThat(number(r, "closed_rst") / total).as("seed %d", SEED).isBetween(0.08, 0.12);
        assertThat(number(r, "abandoned") / total).as("seed %d", SEED).isBetween(0.08, 0.12);
    }

    /**
     * Clients return every ~2000 s, so nearly every connection makes its own template; a template outlives its
     * last connection's entry (1.5 s + 120 s TIME_WAIT) by the 60 s persistence: ~50 x 181 s = 9000 templates.
     */
    private static SimResult persistent(String share) {
        return run("clients = 100000", "new_conns_per_second = 50", "duration = 180", "persistent = 60",
            "connection_packets = 4", "packet_gap_ms = 500", "sync = false", "persistent_share = " + share);
    }

    @Test
    void shouldHalvePersistConnWhenHalfTheConnectionsGoToThePersistentService() {
        SimResult all = persistent("1");
        SimResult half = persistent("0.5");
        double ratio = (double) last(half, PERSIST) / last(all, PERSIST);
        assertThat(last(all, PERSIST)).as("seed %d", SEED).isBetween(8000L, 9500L);
        assertThat(ratio).as("seed %d: %d vs %d templates", SEED, last(half, PERSIST), last(all, PERSIST))
            .isBetween(0.42, 0.58);
        // ActiveConn is summed over both services: the same connections either way
        assertThat(last(half, ACTIVE)).as("seed %d", SEED).isCloseTo(last(all, ACTIVE),
            Offset.offset(20L));
        assertThat(number(half, "conns_to_persistent_service") / number(half, "connections"))
            .as("seed %d", SEED).isBetween(0.47, 0.53);
    }

    @Test
    void shouldCountOnlyThePersistentServicesClientsInPersistentKept() {
        // 500 clients back every 25 s, templates 300 s; reliable sync without loss: every template is on B
        SimResult r = run("clients = 500", "new_conns_per_second = 20", "duration = 250", "persistent = 300",
            "persistent_share = 0.5", "sync_reliable = true", "fail_director_at = 150");
        assertThat(number(r, "persistent_returned")).as("seed %d", SEED).isPositive();
        // a connection to port 443 is scheduled afresh (1 in 10 to the same server); counted, it would pull
        // persistent_kept towards 55 %
        assertThat(number(r, "persistent_kept")).as("seed %d", SEED).isGreaterThanOrEqualTo(99.0);
    }

    @Test
    void shouldKeepTheMeanOfAnExponentialLengthAndGap() {
        SimResult r = run("clients = 2000", "new_conns_per_second = 20", "duration = 300",
            "connection_packets = exp:12", "packet_gap_ms = exp:1000", "sync = false");
        // ~5600 ended connections: the mean of exp:12 has an sd of 12 / sqrt(5600) = 0.16; clamping to >= 2
        // adds ~0.1 (P(X < 1.5) = 12 %); but long connections are still open at the end, which lowers the mean
        // of the ended ones: 11..13
        assertThat(number(r, "packets_per_conn")).as("seed %d", SEED).isBetween(11.0, 13.0);
        // (packets - 1) gaps of mean 1 s (10 ticks of 100 ms): ~11 s, lowered by the same truncation
        assertThat(number(r, "conn_seconds")).as("seed %d", SEED).isBetween(9.0, 12.5);
        assertThat(r.summary().get("closed_fin")).isNotNull();
    }

    /** Every connection pauses once for {@code idleMs}: 4 packets 1 s apart, 1 connection/s for 1300 s. */
    private static SimResult idle(String idleMs) {
        return run("clients = 100", "new_conns_per_second = 1", "duration = 1300", "connection_packets = 4",
            "packet_gap_ms = 1000", "idle_gap_probability = 1", "idle_gap_ms = " + idleMs, "sync = false");
    }

    @Test
    void shouldDropTheFirstPacketAfterAnIdlePauseLongerThanTheEstablishedTimeout() {
        SimResult shortIdle = idle("100000");
        SimResult longIdle = idle("950000");
        assertThat(number(longIdle, "idle_pauses")).as("seed %d", SEED).isGreaterThan(1000);
        // 100 s < 900 s: the entry is still there when the client resumes
        assertThat(number(shortIdle, "idle_resumed_not_forwarded")).as("seed %d", SEED).isZero();
        // 950 s > 900 s: the entry expired, and a plain ACK creates none (no sloppy TCP)
        assertThat(number(longIdle, "idle_resumed_not_forwarded")).as("seed %d", SEED).isEqualTo(100.0);
    }
}
