package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import uvs.core.svc.RealServer;

class TwoChoiceSchedulerTest {
    /** Returns scripted draws for {@code nextInt(bound)} and records the bounds. */
    private static final class ScriptedRandom implements RandomGenerator {
        private final int[] draws;
        private int next;
        final List<Integer> bounds = new ArrayList<>();

        ScriptedRandom(int... draws) {
            this.draws = draws;
        }

        @Override
        public int nextInt(int bound) {
            bounds.add(bound);
            return draws[next++];
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("only nextInt(bound) is scripted");
        }
    }

    private final SchedFixture f = new SchedFixture("twos");
    private RealServer a;
    private RealServer b;
    private RealServer c;

    private TwoChoiceScheduler withDraws(int... draws) {
        ScriptedRandom random = new ScriptedRandom(draws);
        TwoChoiceScheduler twos = f.use(new TwoChoiceScheduler(f.context(random)));
        a = f.add("10.0.0.1", 1);
        b = f.add("10.0.0.2", 2);
        c = f.add("10.0.0.3", 3);
        // list C(3), B(2), A(1): total = 6 + 1 = 7
        return twos;
    }

    @Test
    void shouldWalkWeightsForBothDrawsAndPreferLessLoadedSecond() {
        withDraws(0, 4);
        c.counters(1, 0, 0);
        // r1 = 0: C 0−3 ≤ 0 → C; r2 = 4: C 1, B −1 → B. 2·256 > 3·0 → B
        assertThat(f.pick()).isSameAs(b);
    }

    @Test
    void shouldDrawTwiceBelowTotalPlusOne() {
        ScriptedRandom random = new ScriptedRandom(6, 6);
        f.use(new TwoChoiceScheduler(f.context(random)));
        a = f.add("10.0.0.1", 1);
        f.add("10.0.0.2", 2);
        f.add("10.0.0.3", 3);
        // 6: C 3, B 1, A 0 ≤ 0 → both draws land on A
        assertThat(f.pick()).isSameAs(a);
        assertThat(random.bounds).containsExactly(7, 7);
    }

    @Test
    void shouldKeepFirstChoiceOnEqualLoadPerWeight() {
        withDraws(3, 5, 3, 5);
        // r1 = 3: C 0 → C; r2 = 5: C 2, B 0 → B; idle both: 2·0 > 3·0 is false → C
        assertThat(f.pick()).isSameAs(c);
        c.counters(1, 0, 0);
        b.counters(1, 0, 0);
        // 2·256 > 3·256 is false: C (256/3) is less loaded per weight than B (256/2)
        assertThat(f.pick()).isSameAs(c);
        assertThat(a.weight()).isEqualTo(1);
    }

    @Test
    void shouldLeaveOverloadedAndWeightZeroOutOfTotal() {
        ScriptedRandom random = new ScriptedRandom(3, 0);
        f.use(new TwoChoiceScheduler(f.context(random)));
        a = f.add("10.0.0.1", 1);
        b = f.add("10.0.0.2", 0);
        c = f.add("10.0.0.3", 3);
        a.overloaded(true);
        // only C counts: total = 3 + 1 = 4
        assertThat(f.pick()).isSameAs(c);
        assertThat(random.bounds).containsExactly(4, 4);
    }

    @Test
    void shouldReturnNullWithoutDrawingWhenNoneEligible() {
        ScriptedRandom random = new ScriptedRandom();
        TwoChoiceScheduler twos = f.use(new TwoChoiceScheduler(f.context(random)));
        assertThat(f.pick()).isNull();
        RealServer x = f.add("10.0.0.1", 0);
        RealServer y = f.add("10.0.0.2", 1);
        y.overloaded(true);
        assertThat(f.pick()).isNull();
        assertThat(random.bounds).isEmpty();
        assertThat(twos.name()).isEqualTo("twos");
        assertThat(x).isNotSameAs(y);
    }

    @Test
    void shouldOnlyEverPickEligibleDestsWithSeededRandom() {
        long seed = 20_240_611L;
        f.use(new TwoChoiceScheduler(f.context(new SplittableRandom(seed))));
        RealServer quiesced = f.add("10.0.0.1", 0);
        RealServer over = f.add("10.0.0.2", 5);
        RealServer light = f.add("10.0.0.3", 1);
        RealServer heavy = f.add("10.0.0.4", 3);
        over.overloaded(true);
        int lightPicks = 0;
        int heavyPicks = 0;
        for (int i = 0; i < 2000; i++) {
            RealServer d = f.pick();
            assertThat(d).as("seed %d pick %d", seed, i).isIn(light, heavy);
            if (d == light) {
                lightPicks++;
            } else {
                heavyPicks++;
            }
        }
        // with no connections the first draw always wins: P(heavy) = P(r1 ≤ 3) = 4/5
        assertThat(heavyPicks).as("seed %d", seed).isBetween(1400, 1800);
        assertThat(lightPicks).as("seed %d", seed).isPositive();
        assertThat(quiesced.weight()).isZero();
    }
}
