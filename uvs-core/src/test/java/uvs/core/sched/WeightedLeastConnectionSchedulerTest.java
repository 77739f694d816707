package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.svc.RealServer;

class WeightedLeastConnectionSchedulerTest {
    private final SchedFixture f = new SchedFixture("wlc");
    private final WeightedLeastConnectionScheduler wlc = f.use(new WeightedLeastConnectionScheduler());

    @Test
    void shouldPickLeastOverheadPerWeight() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 3);
        a.counters(1, 0, 0); // 256 / 1 = 256
        b.counters(2, 0, 0); // 512 / 3 ≈ 170.7 → B
        assertThat(f.pick()).isSameAs(b);
        assertThat(wlc.name()).isEqualTo("wlc");
    }

    @Test
    void shouldCountInactiveConnections() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        a.counters(1, 0, 0);   // 256
        b.counters(0, 300, 0); // 300
        assertThat(f.pick()).isSameAs(a);
    }

    @Test
    void shouldKeepEarlierDestOnTie() {
        RealServer a = f.add("10.0.0.1", 2);
        RealServer b = f.add("10.0.0.2", 1);
        a.counters(2, 0, 0); // 512 / 2 = 256
        b.counters(1, 0, 0); // 256 / 1 = 256; list B, A → B
        assertThat(f.pick()).isSameAs(b);
    }

    @Test
    void shouldNeverPickWeightZeroEvenWhenIdle() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 0);
        a.counters(100, 0, 0);
        // B is idle and first, but weight 0: 25600 * 0 > 0 * 1 is false
        assertThat(f.pick()).isSameAs(a);
        f.weight(a, 0);
        assertThat(f.pick()).isNull();
    }

    @Test
    void shouldSkipOverloadedAndReturnNullWhenEmpty() {
        assertThat(f.pick()).isNull();
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        a.counters(9, 0, 0);
        b.overloaded(true);
        assertThat(f.pick()).isSameAs(a);
    }

    @Test
    void shouldCompareIn64Bits() {
        RealServer a = f.add("10.0.0.1", 65535);
        RealServer b = f.add("10.0.0.2", 65535);
        // 200000 * 256 = 51,200,000; × 65535 overflows 32 bits but not 64
        b.counters(200_000, 0, 0);
        a.counters(199_999, 0, 0);
        assertThat(f.pick()).isSameAs(a);
    }
}
