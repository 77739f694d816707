package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.svc.RealServer;

class LeastConnectionSchedulerTest {
    private final SchedFixture f = new SchedFixture("lc");
    private final LeastConnectionScheduler lc = f.use(new LeastConnectionScheduler());

    @Test
    void shouldPickLeastOverheadWithActiveTimes256() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        a.counters(0, 300, 0); // 0*256 + 300 = 300
        b.counters(2, 0, 0);   // 2*256 + 0 = 512 (with the comment's <<5 it would be 64 and win)
        assertThat(f.pick()).isSameAs(a);
        assertThat(lc.name()).isEqualTo("lc");
    }

    @Test
    void shouldIgnoreWeightsExceptZero() {
        RealServer a = f.add("10.0.0.1", 100);
        RealServer b = f.add("10.0.0.2", 1);
        a.counters(1, 0, 0); // 256
        b.counters(0, 10, 0); // 10
        assertThat(f.pick()).isSameAs(b);
        f.weight(b, 0);
        assertThat(f.pick()).isSameAs(a);
    }

    @Test
    void shouldKeepFirstInListOnTie() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        a.counters(1, 4, 0);
        b.counters(1, 4, 0);
        // list B, A: both 260 → B (first)
        assertThat(f.pick()).isSameAs(b);
    }

    @Test
    void shouldSkipOverloadedAndReturnNullWhenNoneLeft() {
        assertThat(f.pick()).isNull();
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        a.counters(5, 0, 0);
        b.overloaded(true);
        assertThat(f.pick()).isSameAs(a);
        a.overloaded(true);
        assertThat(f.pick()).isNull();
    }
}
