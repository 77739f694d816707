package uvs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Distributions of connection shapes: the written forms, their errors, and the means of what they draw. */
class DistributionTest {
    private static final long SEED = 7;
    private static final int DRAWS = 200_000;

    private static double meanOf(Distribution d, int min) {
        SplittableRandom r = new SplittableRandom(SEED);
        long sum = 0;
        for (int i = 0; i < DRAWS; i++) {
            sum += d.sample(r, min);
        }
        return (double) sum / DRAWS;
    }

    @Test
    void shouldParseEveryForm() {
        assertThat(Distribution.parse("20", 2, 100)).isEqualTo(Distribution.fixed(20));
        assertThat(Distribution.parse("exp:12.5", 2, 100)).isEqualTo(new Distribution(Distribution.Kind.EXP, 12.5, 0));
        assertThat(Distribution.parse("lognormal:10:0.8", 2, 100))
            .isEqualTo(new Distribution(Distribution.Kind.LOGNORMAL, 10, 0.8));
        assertThat(Distribution.parse("uniform:5:15", 2, 100))
            .isEqualTo(new Distribution(Distribution.Kind.UNIFORM, 5, 15));
        assertThat(Distribution.parse("lognormal:10:0.8", 2, 100)).hasToString("lognormal:10:0.8");
    }

    @Test
    void shouldNameTheProblemWhenFormIsBad() {
        assertThatThrownBy(() -> Distribution.parse("pareto:3", 2, 100)).hasMessageContaining("'pareto:3' is not N");
        assertThatThrownBy(() -> Distribution.parse("exp", 2, 100)).hasMessageContaining("expected exp:MEAN");
        assertThatThrownBy(() -> Distribution.parse("lognormal:10", 2, 100))
            .hasMessageContaining("expected lognormal:MEDIAN:SIGMA");
        assertThatThrownBy(() -> Distribution.parse("exp:ten", 2, 100)).hasMessageContaining("'ten' is not a number");
        assertThatThrownBy(() -> Distribution.parse("uniform:9:3", 2, 100)).hasMessageContaining("MAX 3 below MIN 9");
        assertThatThrownBy(() -> Distribution.parse("uniform:1:3", 2, 100)).hasMessageContaining("1 outside 2..100");
        assertThatThrownBy(() -> Distribution.parse("2.5", 2, 100)).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> Distribution.parse("lognormal:10:0", 2, 100)).hasMessageContaining("sigma 0");
    }

    @Test
    void shouldDrawNothingForAFixedValue() {
        SplittableRandom used = new SplittableRandom(SEED);
        SplittableRandom untouched = new SplittableRandom(SEED);
        assertThat(Distribution.fixed(20).sample(used, 2)).isEqualTo(20);
        assertThat(used.nextLong()).as("seed %d", SEED).isEqualTo(untouched.nextLong());
    }

    @Test
    void shouldDrawTheWrittenMeans() {
        // exp:50 rounded: the rounding is symmetric except at 0, and clamping to 0 changes nothing
        assertThat(meanOf(Distribution.parse("exp:50", 0, 1000), 0)).as("seed %d", SEED).isCloseTo(50, offset(0.5));
        // lognormal mean = median * e^(sigma^2 / 2) = 10 * e^0.125 = 11.33
        assertThat(meanOf(Distribution.parse("lognormal:10:0.5", 0, 1000), 0)).as("seed %d", SEED)
            .isCloseTo(11.33, offset(0.1));
        // uniform integers 5..15: mean 10
        assertThat(meanOf(Distribution.parse("uniform:5:15", 0, 1000), 0)).as("seed %d", SEED)
            .isCloseTo(10, offset(0.05));
    }

    @Test
    void shouldNeverDrawBelowTheMinimum() {
        SplittableRandom r = new SplittableRandom(SEED);
        Distribution d = Distribution.parse("exp:3", 2, 1000);
        int lowest = Integer.MAX_VALUE;
        for (int i = 0; i < 10_000; i++) {
            lowest = Math.min(lowest, d.sample(r, 2));
        }
        assertThat(lowest).as("seed %d", SEED).isEqualTo(2);
    }
}
