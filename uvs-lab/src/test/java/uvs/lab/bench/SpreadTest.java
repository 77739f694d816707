package uvs.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SpreadTest {
    @Test
    void shouldTakeMiddleOfOddCount() {
        Spread s = Spread.of(300, 100, 200);
        assertThat(s).isEqualTo(new Spread(200, 100, 300));
        assertThat(s.spreadPercent()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void shouldAverageTwoMiddlesOfEvenCount() {
        assertThat(Spread.of(4, 1, 3, 2).median()).isEqualTo(2.5);
    }

    @Test
    void shouldReportZeroSpreadForZeroMedian() {
        assertThat(Spread.of(0, 0, 0).spreadPercent()).isZero();
    }

    @Test
    void shouldRoundReportValues() {
        assertThat(Spread.of(10.4, 10.6, 9.5).toJson()).containsEntry("median", 10L).containsEntry("min", 10L)
            .containsEntry("max", 11L);
    }

    @Test
    void shouldRejectNoMeasurements() {
        assertThatThrownBy(Spread::of).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no measurements");
    }
}
