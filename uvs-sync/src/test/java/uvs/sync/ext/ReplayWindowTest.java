package uvs.sync.ext;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    @Test
    void shouldAcceptNewAndReorderedButRefuseRepeatsAndTooOld() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.accept(10)).isTrue();
        assertThat(w.accept(10)).isFalse();
        assertThat(w.accept(12)).isTrue();
        // reordered within the window: once
        assertThat(w.accept(11)).isTrue();
        assertThat(w.accept(11)).isFalse();
        assertThat(w.accept(9)).isTrue();
        // a jump slides the window: 12 - 64 + 100 ... 100 is highest, 36 is the oldest still judged
        assertThat(w.accept(100)).isTrue();
        assertThat(w.accept(36)).as("age 64 is outside the window").isFalse();
        assertThat(w.accept(37)).isTrue();
        assertThat(w.accept(37)).isFalse();
        assertThat(w.accept(-1)).isFalse();
        assertThat(w.highest()).isEqualTo(100);
    }

    @Test
    void shouldForgetAfterJumpBeyondTheWindow() {
        ReplayWindow w = new ReplayWindow();
        w.accept(1);
        w.accept(2);
        assertThat(w.accept(1000)).isTrue();
        assertThat(w.accept(999)).isTrue();
        assertThat(w.accept(2)).isFalse();
        w.reset();
        assertThat(w.accept(2)).isTrue();
    }
}
