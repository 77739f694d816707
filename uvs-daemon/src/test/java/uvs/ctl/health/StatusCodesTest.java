package uvs.ctl.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatusCodesTest {
    @Test
    void shouldAcceptCodesInsideRangesAndSingleCodes() {
        StatusCodes c = StatusCodes.parse("200-299, 301");
        assertThat(c.contains(200)).isTrue();
        assertThat(c.contains(299)).isTrue();
        assertThat(c.contains(301)).isTrue();
        assertThat(c.contains(199)).isFalse();
        assertThat(c.contains(300)).isFalse();
        assertThat(c.contains(302)).isFalse();
    }

    @Test
    void shouldPrintCanonicallyAndCompareByValue() {
        assertThat(StatusCodes.parse(" 200-299 ,301,404-404").toString()).isEqualTo("200-299,301,404");
        assertThat(StatusCodes.parse("200-299")).isEqualTo(StatusCodes.SUCCESS)
            .hasSameHashCodeAs(StatusCodes.SUCCESS);
    }

    @Test
    void shouldRejectBadListsNamingTheProblem() {
        assertThatThrownBy(() -> StatusCodes.parse("")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> StatusCodes.parse("2xx")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'2xx' is not a number");
        assertThatThrownBy(() -> StatusCodes.parse("200,99")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("status code 99 out of range 100..599");
        assertThatThrownBy(() -> StatusCodes.parse("299-200")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("299-200 runs backwards");
        assertThatThrownBy(() -> StatusCodes.parse("200,")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'' is not a number");
    }
}
