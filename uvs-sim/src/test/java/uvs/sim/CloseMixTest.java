package uvs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Close behaviours: pure and mixed forms, errors, and the shares they pick. */
class CloseMixTest {
    private static final long SEED = 3;

    @Test
    void shouldParsePureAndMixedForms() {
        assertThat(CloseMix.parse("fin")).isEqualTo(CloseMix.ALL_FIN);
        assertThat(CloseMix.parse("rst")).isEqualTo(new CloseMix(0, 1, 0));
        assertThat(CloseMix.parse("abandon")).isEqualTo(new CloseMix(0, 0, 1));
        assertThat(CloseMix.parse("fin:0.8, rst:0.1,abandon:0.1")).isEqualTo(new CloseMix(0.8, 0.1, 0.1));
        assertThat(CloseMix.parse("rst:0.5,abandon:0.5")).isEqualTo(new CloseMix(0, 0.5, 0.5));
    }

    @Test
    void shouldNameTheProblemWhenMixIsBad() {
        assertThatThrownBy(() -> CloseMix.parse("linger")).hasMessageContaining("unknown close 'linger'");
        assertThatThrownBy(() -> CloseMix.parse("fin:0.5,rst:0.4")).hasMessageContaining("shares sum to 0.900");
        assertThatThrownBy(() -> CloseMix.parse("fin:0.5,fin:0.5")).hasMessageContaining("'fin' given twice");
        assertThatThrownBy(() -> CloseMix.parse("fin,rst")).hasMessageContaining("expected KIND:SHARE");
        assertThatThrownBy(() -> CloseMix.parse("fin:x,rst:1")).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> CloseMix.parse("fin:2,rst:-1")).hasMessageContaining("share outside 0..1");
    }

    @Test
    void shouldPickTheSharesOfAMixAndDrawNothingWhenPure() {
        SplittableRandom r = new SplittableRandom(SEED);
        CloseMix mix = CloseMix.parse("fin:0.8,rst:0.1,abandon:0.1");
        int[] n = new int[3];
        for (int i = 0; i < 100_000; i++) {
            n[mix.pick(r)]++;
        }
        // binomial sd at 10 % of 100000 is ~95: 1000 is > 10 sd
        assertThat(n[CloseMix.FIN]).as("seed %d", SEED).isBetween(79_000, 81_000);
        assertThat(n[CloseMix.RST]).as("seed %d", SEED).isBetween(9_000, 11_000);
        assertThat(n[CloseMix.ABANDON]).as("seed %d", SEED).isBetween(9_000, 11_000);
        SplittableRandom used = new SplittableRandom(SEED);
        SplittableRandom untouched = new SplittableRandom(SEED);
        assertThat(CloseMix.parse("rst").pick(used)).isEqualTo(CloseMix.RST);
        assertThat(used.nextLong()).isEqualTo(untouched.nextLong());
    }
}
