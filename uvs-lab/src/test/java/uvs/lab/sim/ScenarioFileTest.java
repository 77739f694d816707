package uvs.lab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenario files: defaults, values, scaling and file:line errors. */
class ScenarioFileTest {

    private static Scenario parse(String... lines) {
        return ScenarioFile.parse("t.sim", List.of(lines));
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
}
