package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.svc.RealServer;

class WeightedFailoverSchedulerTest {
    private final SchedFixture f = new SchedFixture("fo");
    private final WeightedFailoverScheduler fo = f.use(new WeightedFailoverScheduler());

    @Test
    void shouldPickHighestWeightRegardlessOfLoad() {
        RealServer a = f.add("10.0.0.1", 5);
        RealServer b = f.add("10.0.0.2", 3);
        a.counters(1000, 1000, 0);
        assertThat(f.pick()).isSameAs(a);
        assertThat(fo.name()).isEqualTo("fo");
    }

    @Test
    void shouldFailOverWhenHighestIsOverloaded() {
        RealServer a = f.add("10.0.0.1", 5);
        RealServer b = f.add("10.0.0.2", 3);
        a.overloaded(true);
        assertThat(f.pick()).isSameAs(b);
    }

    @Test
    void shouldKeepEarlierOnTie() {
        RealServer a = f.add("10.0.0.1", 5);
        RealServer b = f.add("10.0.0.2", 5);
        // list B, A → B
        assertThat(f.pick()).isSameAs(b);
        assertThat(a.weight()).isEqualTo(5);
    }

    @Test
    void shouldReturnNullWhenAllWeightZeroOrEmpty() {
        assertThat(f.pick()).isNull();
        RealServer a = f.add("10.0.0.1", 0);
        assertThat(f.pick()).isNull();
        f.weight(a, 1);
        assertThat(f.pick()).isSameAs(a);
    }
}
