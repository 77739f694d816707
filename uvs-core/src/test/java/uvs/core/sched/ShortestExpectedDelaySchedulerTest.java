package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.svc.RealServer;

class ShortestExpectedDelaySchedulerTest {
    private final SchedFixture f = new SchedFixture("sed");
    private final ShortestExpectedDelayScheduler sed = f.use(new ShortestExpectedDelayScheduler());

    @Test
    void shouldPickSmallestActivePlusOnePerWeight() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 4);
        a.counters(0, 0, 0); // (0 + 1) / 1 = 1
        b.counters(2, 0, 0); // (2 + 1) / 4 = 0.75 → B
        assertThat(f.pick()).isSameAs(b);
        assertThat(sed.name()).isEqualTo("sed");
    }

    @Test
    void shouldIgnoreInactiveConnections() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        a.counters(1, 0, 0);    // 2
        b.counters(0, 5000, 0); // 1 → B despite many inactive
        assertThat(f.pick()).isSameAs(b);
    }

    @Test
    void shouldKeepEarlierOnTieAndSkipWeightZeroAndOverloaded() {
        RealServer a = f.add("10.0.0.1", 2);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 0);
        a.counters(1, 0, 0); // 2 / 2 = 1
        b.counters(0, 0, 0); // 1 / 1 = 1 → tie; list C, B, A → B (C has weight 0)
        assertThat(f.pick()).isSameAs(b);
        b.overloaded(true);
        assertThat(f.pick()).isSameAs(a);
        a.overloaded(true);
        assertThat(f.pick()).isNull();
        assertThat(c.weight()).isZero();
    }

    @Test
    void shouldReturnNullWhenEmpty() {
        assertThat(f.pick()).isNull();
    }
}
