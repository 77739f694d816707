package uvs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scenario's events in the order they take effect, and none for times left at 0. */
class TimelineTest {
    private static List<String> events(Timeline t, int ticks) {
        List<String> out = new ArrayList<>();
        for (int tick = 1; tick <= ticks; tick++) {
            for (Timeline.Event e = t.poll(tick); e != null; e = t.poll(tick)) {
                out.add(tick + " " + e.kind() + (e.change() == null ? "" : " " + e.change().action() + " "
                    + e.change().server()));
            }
        }
        return out;
    }

    @Test
    void shouldOrderEventsByTimeThenKind() {
        Scenario s = ScenarioFile.parse("t.sim", List.of("duration = 100", "backup_restarts_at = 10",
            "fail_director_at = 20", "director_returns_at = 30", "preempt_delay = 0",
            "real_server_changes = 20 quiesce 2, 20 restore 2, 40 remove 1"));
        // two ticks a second: the preempt comes with the return, after it
        assertThat(events(new Timeline(s, 2), 200)).containsExactly(
            "20 BACKUP_RESTART", "40 SERVER_CHANGE QUIESCE 2", "40 SERVER_CHANGE RESTORE 2", "40 DIRECTOR_FAILS",
            "60 DIRECTOR_RETURNS", "60 PREEMPT", "80 SERVER_CHANGE REMOVE 1");
    }

    @Test
    void shouldHaveNoEventForATimeOfZero() {
        Scenario s = ScenarioFile.parse("t.sim", List.of("duration = 100"));
        assertThat(events(new Timeline(s, 1), 100)).isEmpty();
    }
}
