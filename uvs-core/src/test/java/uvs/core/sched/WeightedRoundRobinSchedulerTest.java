package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.svc.RealServer;

class WeightedRoundRobinSchedulerTest {
    private final SchedFixture f = new SchedFixture("wrr");
    private WeightedRoundRobinScheduler wrr = f.use(new WeightedRoundRobinScheduler(f.svc));

    /**
     * Builds the list A, B, C (adding C, B, A) and then starts a scheduler on it, as the kernel's
     * init_service does: cl = head and cw = mw.
     */
    private RealServer[] abc(int wa, int wb, int wc) {
        f.sched = null;
        RealServer c = f.add("10.0.0.3", wc);
        RealServer b = f.add("10.0.0.2", wb);
        RealServer a = f.add("10.0.0.1", wa);
        wrr = f.use(new WeightedRoundRobinScheduler(f.svc));
        return new RealServer[] {a, b, c};
    }

    @Test
    void shouldStartFirstCycleAtWeightLeftByIncrementalAdds() {
        RealServer c = f.add("10.0.0.3", 2);
        RealServer b = f.add("10.0.0.2", 3);
        RealServer a = f.add("10.0.0.1", 4);
        // add C(2): di = 2, mw = 1, cw was 0 → cw = 1; add B(3), A(4): di = 1, mw 3 then 4, cw 1 stays.
        // so the first pass is the weight ≥ 1 one, then the regular cycle from cw = mw = 4
        assertThat(f.sequence(12, a, b, c)).isEqualTo("ABC" + "AABABCABC");
    }

    @Test
    void shouldFollowSpecExampleSequence() {
        RealServer[] d = abc(4, 3, 2);
        // di = 1, mw = 4: passes cw = 4 (A), 3 (A B), 2 (A B C), 1 (A B C), then again
        assertThat(f.sequence(18, d)).isEqualTo("AABABCABC" + "AABABCABC");
        assertThat(wrr.name()).isEqualTo("wrr");
    }

    @Test
    void shouldUseGcdAsStep() {
        RealServer[] d = abc(6, 4, 0);
        // di = gcd(6, 4) = 2, mw = 6 - 1 = 5: cw = 5 (A), 3 (A B), 1 (A B), then cw -1 → mw
        assertThat(f.sequence(10, d)).isEqualTo("AABAB" + "AABAB");
    }

    @Test
    void shouldGiveSameSequenceForProportionalWeights() {
        RealServer[] d = abc(4, 2, 0);
        // di = 2, mw = 3: cw = 3 (A), 1 (A B)
        assertThat(f.sequence(9, d)).isEqualTo("AAB" + "AAB" + "AAB");
    }

    @Test
    void shouldApplyUpdateRuleWhenWeightChangesMidSequence() {
        RealServer[] d = abc(4, 3, 2);
        assertThat(f.sequence(3, d)).isEqualTo("AAB");
        // now cw = 3 and cl = B; edit C to 4: cl := head, di = 1, mw = 4, cw stays 3 (≤ mw, di = 1)
        f.weight(d[2], 4);
        // cw = 3: A B C, cw = 2: A B C, cw = 1: A B C, then cw = 4: A C
        assertThat(f.sequence(11, d)).isEqualTo("ABC" + "ABC" + "ABC" + "AC");
    }

    @Test
    void shouldSnapCurrentWeightToGcdGridOnUpdate() {
        RealServer[] d = abc(6, 4, 0);
        assertThat(f.sequence(3, d)).isEqualTo("AAB");
        // cw = 3, cl = B; B := 3 → di = 3, mw = 6 - 2 = 4, cw = (3 / 3) * 3 + 1 = 4
        f.weight(d[1], 3);
        // cw = 4: A, then cw = 1 (last pass): A B; then cw = 4 again: A …
        assertThat(f.sequence(6, d)).isEqualTo("AAB" + "AAB");
    }

    @Test
    void shouldResetCurrentWeightWhenAboveNewMaximum() {
        RealServer[] d = abc(4, 3, 2);
        assertThat(f.sequence(1, d)).isEqualTo("A");
        // cw = 4 > new mw = 3 → cw = 3
        f.weight(d[0], 1);
        // cw = 3: B, cw = 2: B C, cw = 1: A B C
        assertThat(f.sequence(6, d)).isEqualTo("BBCABC");
    }

    @Test
    void shouldStartFromHeadAfterAdd() {
        RealServer c = f.add("10.0.0.3", 1);
        RealServer b = f.add("10.0.0.2", 1);
        // list B, C with cw = mw = 1 after the adds
        assertThat(f.sequence(3, null, b, c)).isEqualTo("BCB");
        RealServer a = f.add("10.0.0.1", 1);
        // cl := head
        assertThat(f.sequence(3, a, b, c)).isEqualTo("ABC");
    }

    @Test
    void shouldSkipOverloadedAndWeightZero() {
        RealServer[] d = abc(4, 3, 0);
        d[0].overloaded(true);
        // only B (3) is eligible; C has weight 0 and is never chosen
        assertThat(f.sequence(4, d)).isEqualTo("BBBB");
    }

    @Test
    void shouldReturnNullWhenAllOverloadedAndRecover() {
        RealServer[] d = abc(4, 3, 2);
        for (RealServer r : d) {
            r.overloaded(true);
        }
        assertThat(f.sequence(3, d)).isEqualTo("---");
        d[1].overloaded(false);
        assertThat(f.sequence(2, d)).isEqualTo("BB");
    }

    @Test
    void shouldReturnNullWhenAllOverloadedMidCycle() {
        RealServer[] d = abc(4, 3, 2);
        assertThat(f.sequence(4, d)).isEqualTo("AABA");
        for (RealServer r : d) {
            r.overloaded(true);
        }
        assertThat(f.pick()).isNull();
        d[2].overloaded(false);
        assertThat(f.sequence(2, d)).isEqualTo("CC");
    }

    @Test
    void shouldReturnNullWhenEmptyOrAllWeightsZero() {
        assertThat(f.pick()).isNull();
        RealServer a = f.add("10.0.0.1", 0);
        assertThat(f.pick()).isNull();
        f.weight(a, 2);
        assertThat(f.pick()).isSameAs(a);
        f.remove(a);
        assertThat(f.pick()).isNull();
    }

    @Test
    void shouldInitialiseFromExistingList() {
        RealServer[] d = abc(2, 1, 0);
        // di = 1, mw = 2, cw = 2: A; cw = 1: A B
        assertThat(wrr.schedule(f.svc, f.pkt)).isSameAs(d[0]);
        assertThat(f.sequence(2, d)).isEqualTo("AB");
    }
}
