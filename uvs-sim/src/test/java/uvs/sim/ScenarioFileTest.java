package uvs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import uvs.core.svc.ServiceFlags;

/** Scenario files: defaults, values, scaling and file:line errors. */
class ScenarioFileTest {

    private static Scenario parse(String... lines) {
        return ScenarioFile.parse("t.sim", List.of(lines));
    }

    @Test
    void shouldReadDirectorsAndKeepThemWhenScaled() {
        assertThat(parse("#").directors()).isEqualTo(2);
        Scenario s = parse("directors = 8", "traffic = ecmp");
        assertThat(s.directors()).isEqualTo(8);
        assertThat(s.scaled(0.5).directors()).isEqualTo(8);
    }

    @Test
    void shouldNameTheLineWhenDirectorsAreOutOfRange() {
        assertThatThrownBy(() -> parse("directors = 1")).hasMessage("t.sim:1: directors 1 outside 2..8");
        assertThatThrownBy(() -> parse("#", "directors = 9")).hasMessage("t.sim:2: directors 9 outside 2..8");
    }

    @Test
    void shouldReadTimeoutsAndHandshakeAndKeepThemWhenScaled() {
        Scenario d = parse("#");
        assertThat(d.timeouts()).isEqualTo(Scenario.Timeouts.UNCHANGED);
        assertThat(d.timeouts().effectiveSeconds()).containsExactly(900, 120, 300);
        assertThat(d.handshakeMs()).isEqualTo(Scenario.HANDSHAKE_AS_GAP);
        Scenario s = parse("timeouts = 0  800 0", "handshake_ms = 100");
        assertThat(s.timeouts().effectiveSeconds()).containsExactly(900, 800, 300);
        assertThat(s.scaled(0.01).timeouts()).isEqualTo(s.timeouts());
        assertThat(s.scaled(0.01).handshakeMs()).isEqualTo(100);
    }

    @Test
    void shouldNameTheLineOfBadTimeouts() {
        assertThatThrownBy(() -> parse("timeouts = 900 120"))
            .hasMessage("t.sim:1: timeouts: '900 120' is not TCP TCPFIN UDP (three numbers of seconds)");
        assertThatThrownBy(() -> parse("#", "timeouts = 900 x 300")).hasMessage("t.sim:2: timeouts: 'x' is not a number");
        assertThatThrownBy(() -> parse("timeouts = 0 -1 0")).hasMessageStartingWith("t.sim:1: timeouts: tcpfin timeout -1");
        assertThatThrownBy(() -> parse("handshake_ms = 0")).hasMessage("t.sim:1: handshake_ms 0 outside 1..3600000");
    }

    @Test
    void shouldReadReferenceRatiosAndNameTheLineOfBadOnes() {
        assertThat(parse("#").referenceRatios()).isEmpty();
        assertThat(parse("reference_ratios = 92.76 99.48 98.16").referenceRatios()).containsExactly(92.76, 99.48, 98.16);
        assertThatThrownBy(() -> parse("reference_ratios = 92.76 99.48"))
            .hasMessage("t.sim:1: reference_ratios: '92.76 99.48' is not ACTIVE INACT PERSIST (three percentages)");
        assertThatThrownBy(() -> parse("#", "reference_ratios = 92.76 x 98"))
            .hasMessage("t.sim:2: reference_ratios: 'x' is not a number");
        assertThatThrownBy(() -> parse("reference_ratios = 92.76 -1 98"))
            .hasMessage("t.sim:1: reference_ratios: -1 outside 0..1000");
    }

    @Test
    void shouldUseDefaultsWhenFileSetsNothing() {
        Scenario s = parse("# only a comment", "");
        assertThat(s.name()).isEqualTo("t");
        assertThat(s.clients()).isEqualTo(20_000);
        assertThat(s.newConnsPerSecond()).isEqualTo(500.0);
        assertThat(s.scheduler()).isEqualTo("wlc");
        assertThat(s.persistent()).isZero();
        assertThat(s.failDirectorAt()).isZero();
        assertThat(s.syncReliable()).isFalse();
        assertThat(s.tickMs()).isEqualTo(100);
    }

    @Test
    void shouldReadValuesAndTunablesWithComments() {
        Scenario s = parse("name = x", "clients = 50  # fifty", "sync_reliable = true", "persistent=300",
            "tunable.sync_threshold = 3 100", "tunable.sloppy_tcp = 1", "fail_director_at = 5", "duration = 10");
        assertThat(s.name()).isEqualTo("x");
        assertThat(s.clients()).isEqualTo(50);
        assertThat(s.syncReliable()).isTrue();
        assertThat(s.persistent()).isEqualTo(300);
        assertThat(s.failDirectorAt()).isEqualTo(5);
        assertThat(s.tunables()).containsExactly(new Scenario.Tunable("sync_threshold", "3 100"),
            new Scenario.Tunable("sloppy_tcp", "1"));
    }

    @Test
    void shouldScaleClientsAndRateOnly() {
        Scenario s = parse("clients = 20000", "new_conns_per_second = 500", "duration = 600").scaled(0.01);
        // 20000 * 0.01 = 200 clients, 500 * 0.01 = 5 connections/s; times unchanged
        assertThat(s.clients()).isEqualTo(200);
        assertThat(s.newConnsPerSecond()).isEqualTo(5.0);
        assertThat(s.duration()).isEqualTo(600);
        assertThatThrownBy(() -> s.scaled(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale");
    }

    @Test
    void shouldNameFileAndLineWhenKeyIsUnknown() {
        assertThatThrownBy(() -> parse("clients = 5", "", "colour = blue"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("t.sim:3: unknown key 'colour'");
    }

    @Test
    void shouldNameFileAndLineWhenValueIsBad() {
        assertThatThrownBy(() -> parse("clients = many")).hasMessage("t.sim:1: clients: 'many' is not an integer");
        assertThatThrownBy(() -> parse("#", "clients = 0")).hasMessage("t.sim:2: clients 0 outside 1..16000000");
        assertThatThrownBy(() -> parse("sync_loss_percent = 101"))
            .hasMessageStartingWith("t.sim:1: sync_loss_percent 101 outside");
        assertThatThrownBy(() -> parse("sync_reliable = maybe"))
            .hasMessage("t.sim:1: sync_reliable: 'maybe' is not true or false");
        assertThatThrownBy(() -> parse("scheduler = fastest")).hasMessage("t.sim:1: unknown scheduler 'fastest'");
        assertThatThrownBy(() -> parse("duration = 10", "fail_director_at = 10"))
            .hasMessage("t.sim:2: fail_director_at 10 outside 0..9");
    }

    @Test
    void shouldNameFileAndLineWhenLineIsMalformed() {
        assertThatThrownBy(() -> parse("clients 5")).hasMessage("t.sim:1: expected 'key = value', got 'clients 5'");
        assertThatThrownBy(() -> parse("clients =")).hasMessage("t.sim:1: no value for 'clients'");
        assertThatThrownBy(() -> parse("clients = 5", "clients = 6"))
            .hasMessage("t.sim:2: 'clients' already set on line 1");
    }

    @Test
    void shouldNameFileAndLineWhenTunableIsRefused() {
        assertThatThrownBy(() -> parse("tunable.no_such_thing = 1"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("t.sim:1: tunable no_such_thing: ");
        assertThatThrownBy(() -> parse("", "tunable.sync_persist_mode = often"))
            .hasMessageStartingWith("t.sim:2: tunable sync_persist_mode: ");
    }

    @Test
    void shouldReadEcmpLinkAndServerChangeKeys() {
        Scenario s = parse("duration = 200", "traffic = ecmp", "sync = false", "scheduler = mh",
            "scheduler_flags = mh-port, mh-fallback", "sync_latency_ms = 20", "sync_bandwidth_mbit = 8",
            "sync_reorder_percent = 2", "quiesce_server_at = 50", "real_server_changes = 90 restore 1, 60 remove 3");
        assertThat(s.traffic()).isEqualTo(Scenario.Traffic.ECMP);
        assertThat(s.sync()).isFalse();
        assertThat(s.schedFlags()).isEqualTo(ServiceFlags.SCHED1 | ServiceFlags.SCHED2);
        assertThat(s.link()).isEqualTo(new Scenario.SyncLink(0, 20, 8, 2));
        // quiesce_server_at is a quiesce of server 1; changes are sorted by time
        assertThat(s.serverChanges()).containsExactly(
            new Scenario.ServerChange(50, Scenario.ServerAction.QUIESCE, 1),
            new Scenario.ServerChange(60, Scenario.ServerAction.REMOVE, 3),
            new Scenario.ServerChange(90, Scenario.ServerAction.RESTORE, 1));
        // the bandwidth cap scales with the load
        assertThat(s.scaled(0.01).link().bandwidthMbit()).isEqualTo(0.08, Offset.offset(1e-9));
    }

    @Test
    void shouldRejectBadServerChangesFlagsAndEventOrder() {
        assertThatThrownBy(() -> parse("real_servers = 4", "real_server_changes = 10 remove 5"))
            .hasMessage("t.sim:2: real_server_changes: server 5 outside 1..4");
        assertThatThrownBy(() -> parse("real_server_changes = 10 explode 1"))
            .hasMessageContaining("t.sim:1: real_server_changes: unknown action 'explode'");
        assertThatThrownBy(() -> parse("scheduler_flags = sh-turbo"))
            .hasMessageContaining("t.sim:1: scheduler_flags: unknown flag 'sh-turbo'");
        assertThatThrownBy(() -> parse("fail_director_at = 100", "director_returns_at = 50"))
            .hasMessageContaining("t.sim:2: director_returns_at 50 must come after fail_director_at");
        assertThatThrownBy(() -> parse("fail_director_at = 100", "backup_restarts_at = 100"))
            .hasMessageContaining("t.sim:2: backup_restarts_at 100 must come before fail_director_at");
        assertThatThrownBy(() -> parse("traffic = anycast")).hasMessageContaining("t.sim:1: traffic: 'anycast'");
    }

    @Test
    void shouldKeepTheUniformPopulationByDefault() {
        Scenario s = parse("persistent = 300");
        assertThat(s.connectionPackets()).isEqualTo(Distribution.fixed(20));
        assertThat(s.packetGapMs()).isEqualTo(Distribution.fixed(500));
        assertThat(s.persistentShare()).isEqualTo(1.0);
        assertThat(s.idleGapProbability()).isZero();
        assertThat(s.close()).isEqualTo(CloseMix.ALL_FIN);
        assertThat(s.twoServices()).isFalse();
        assertThat(s.uniformPopulation()).isTrue();
    }

    @Test
    void shouldReadPopulationKeys() {
        Scenario s = parse("persistent = 300", "persistent_share = 0.3", "connection_packets = lognormal:12:1.2",
            "packet_gap_ms = exp:800", "idle_gap_ms = uniform:1000:60000", "idle_gap_probability = 0.05",
            "close = fin:0.8,rst:0.1,abandon:0.1");
        assertThat(s.persistentShare()).isEqualTo(0.3);
        assertThat(s.twoServices()).isTrue();
        assertThat(s.connectionPackets()).isEqualTo(new Distribution(Distribution.Kind.LOGNORMAL, 12, 1.2));
        assertThat(s.packetGapMs()).isEqualTo(new Distribution(Distribution.Kind.EXP, 800, 0));
        assertThat(s.idleGapMs()).isEqualTo(new Distribution(Distribution.Kind.UNIFORM, 1000, 60000));
        assertThat(s.idleGapProbability()).isEqualTo(0.05);
        assertThat(s.close()).isEqualTo(new CloseMix(0.8, 0.1, 0.1));
        assertThat(s.uniformPopulation()).isFalse();
        // the population's shape is kept by scaling
        assertThat(s.scaled(0.01).close()).isEqualTo(s.close());
        assertThat(s.scaled(0.01).connectionPackets()).isEqualTo(s.connectionPackets());
    }

    @Test
    void shouldNameFileAndLineWhenPopulationValueIsBad() {
        assertThatThrownBy(() -> parse("connection_packets = exp:1"))
            .hasMessage("t.sim:1: connection_packets: 'exp:1': 1 outside 2..100000");
        assertThatThrownBy(() -> parse("#", "packet_gap_ms = lognormal:10"))
            .hasMessage("t.sim:2: packet_gap_ms: 'lognormal:10': expected lognormal:MEDIAN:SIGMA");
        assertThatThrownBy(() -> parse("idle_gap_ms = uniform:9:3"))
            .hasMessageStartingWith("t.sim:1: idle_gap_ms: 'uniform:9:3': MAX 3 below MIN 9");
        assertThatThrownBy(() -> parse("idle_gap_probability = 2"))
            .hasMessageStartingWith("t.sim:1: idle_gap_probability 2 outside");
        assertThatThrownBy(() -> parse("persistent = 60", "", "persistent_share = 1.5"))
            .hasMessageStartingWith("t.sim:3: persistent_share 1.5 outside");
        assertThatThrownBy(() -> parse("persistent_share = 0.5"))
            .hasMessage("t.sim:1: persistent_share needs persistent > 0");
        assertThatThrownBy(() -> parse("close = fin:0.5,rst:0.4"))
            .hasMessage("t.sim:1: close: shares sum to 0.900, not 1");
        assertThatThrownBy(() -> parse("close = linger")).hasMessageStartingWith("t.sim:1: close: unknown close 'linger'");
    }

    @Test
    void shouldReadOneWeightPerRealServer() {
        Scenario s = parse("real_servers = 3", "real_server_weights = 3, 1, 0");
        assertThat(s.weight(1)).isEqualTo(3);
        assertThat(s.weight(3)).isZero();
        assertThat(parse("real_servers = 2").weight(2)).isEqualTo(1);
    }

    @Test
    void shouldNameTheLineOfBadWeights() {
        assertThatThrownBy(() -> parse("real_servers = 3", "real_server_weights = 1, 2"))
            .hasMessage("t.sim:2: real_server_weights: 2 weights for 3 real servers");
        assertThatThrownBy(() -> parse("real_servers = 2", "real_server_weights = 1, x"))
            .hasMessage("t.sim:2: real_server_weights: 'x' is not a number");
        assertThatThrownBy(() -> parse("real_servers = 1", "real_server_weights = 70000"))
            .hasMessage("t.sim:2: real_server_weights: 70000 outside 0..65535");
    }
}
