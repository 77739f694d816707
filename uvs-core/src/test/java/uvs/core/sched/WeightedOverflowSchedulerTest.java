package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.svc.RealServer;

class WeightedOverflowSchedulerTest {
    private final SchedFixture f = new SchedFixture("ovf");
    private final WeightedOverflowScheduler ovf = f.use(new WeightedOverflowScheduler());

    @Test
    void shouldStayOnHighestWeightUntilActiveExceedsWeight() {
        RealServer a = f.add("10.0.0.1", 5);
        RealServer b = f.add("10.0.0.2", 3);
        a.counters(5, 100, 0); // 5 ≤ 5: still eligible; inactive conns do not count
        assertThat(f.pick()).isSameAs(a);
        a.counters(6, 0, 0); // 6 > 5: overflow to B
        assertThat(f.pick()).isSameAs(b);
        assertThat(ovf.name()).isEqualTo("ovf");
    }

    @Test
    void shouldReturnNullWhenAllFull() {
        RealServer a = f.add("10.0.0.1", 2);
        RealServer b = f.add("10.0.0.2", 1);
        a.counters(3, 0, 0);
        b.counters(2, 0, 0);
        assertThat(f.pick()).isNull();
    }

    @Test
    void shouldKeepEarlierOnTieAndSkipOverloadedAndWeightZero() {
        RealServer a = f.add("10.0.0.1", 4);
        RealServer b = f.add("10.0.0.2", 4);
        RealServer c = f.add("10.0.0.3", 0);
        // list C, B, A: C has weight 0 (0 active ≤ 0 but weight 0 is skipped); B and A tie → B
        assertThat(f.pick()).isSameAs(b);
        b.overloaded(true);
        assertThat(f.pick()).isSameAs(a);
        assertThat(c.weight()).isZero();
    }

    @Test
    void shouldReturnNullWhenEmpty() {
        assertThat(f.pick()).isNull();
    }
}
