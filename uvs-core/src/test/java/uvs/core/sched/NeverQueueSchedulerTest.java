package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.svc.RealServer;

class NeverQueueSchedulerTest {
    private final SchedFixture f = new SchedFixture("nq");
    private final NeverQueueScheduler nq = f.use(new NeverQueueScheduler());

    @Test
    void shouldReturnFirstIdleDestImmediately() {
        RealServer a = f.add("10.0.0.1", 100);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 1);
        c.counters(3, 0, 0);
        b.counters(0, 50, 0); // idle: no active connections (inactive ones do not count)
        a.counters(0, 0, 0);
        // list C, B, A: B is the first idle one, although A has a far higher weight
        assertThat(f.pick()).isSameAs(b);
        assertThat(nq.name()).isEqualTo("nq");
    }

    @Test
    void shouldFallBackToShortestExpectedDelayWhenNoneIdle() {
        RealServer a = f.add("10.0.0.1", 3);
        RealServer b = f.add("10.0.0.2", 1);
        a.counters(2, 0, 0); // (2 + 1) / 3 = 1
        b.counters(1, 0, 0); // (1 + 1) / 1 = 2 → A
        assertThat(f.pick()).isSameAs(a);
        a.counters(5, 0, 0); // 6 / 3 = 2 → tie with B; list B, A → B
        assertThat(f.pick()).isSameAs(b);
    }

    @Test
    void shouldSkipWeightZeroAndOverloadedEvenWhenIdle() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 0);
        RealServer c = f.add("10.0.0.3", 1);
        a.counters(4, 0, 0);
        c.overloaded(true);
        // B and C are idle but not eligible
        assertThat(f.pick()).isSameAs(a);
        a.overloaded(true);
        assertThat(f.pick()).isNull();
        assertThat(b.activeConns()).isZero();
    }

    @Test
    void shouldReturnNullWhenEmpty() {
        assertThat(f.pick()).isNull();
    }
}
