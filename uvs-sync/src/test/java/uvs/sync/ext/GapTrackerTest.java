package uvs.sync.ext;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GapTrackerTest {
    @Test
    void shouldTrackHolesAndTheirRecovery() {
        GapTracker g = new GapTracker();
        g.onSeq(1);
        g.onSeq(2);
        g.onSeq(6);
        g.onSeq(7);
        g.onSeq(10);
        // missing 3..5 and 8..9
        assertThat(g.ranges()).isEqualTo(2);
        assertThat(g.missing()).isEqualTo(5);
        assertThat(g.onSeq(4)).isTrue();
        assertThat(g.missing()).isEqualTo(4);
        assertThat(g.ranges()).isEqualTo(3);
        assertThat(g.onSeq(4)).as("duplicate").isFalse();
        assertThat(g.onSeq(2)).as("old").isFalse();
        g.onSeq(3);
        g.onSeq(5);
        g.onSeq(8);
        g.onSeq(9);
        assertThat(g.ranges()).isZero();
        assertThat(g.recovered()).isEqualTo(5);
        assertThat(g.expected()).isEqualTo(11);
    }

    @Test
    void shouldAskForRangesWithRetriesThenGiveUp() {
        GapTracker g = new GapTracker();
        g.onSeq(1);
        g.onSeq(5);
        List<String> asked = new ArrayList<>();
        assertThat(g.due(100, 25, (a, b) -> asked.add(a + "-" + b))).isEqualTo(1);
        assertThat(g.due(110, 25, (a, b) -> asked.add(a + "-" + b))).isZero();
        for (int t = 125; t <= 200; t += 25) {
            g.due(t, 25, (a, b) -> asked.add(a + "-" + b));
        }
        // asked 5 times (100, 125, 150, 175, 200), then given up at the next turn
        assertThat(asked).containsExactly("2-4", "2-4", "2-4", "2-4", "2-4");
        g.due(225, 25, (a, b) -> asked.add(a + "-" + b));
        assertThat(g.ranges()).isZero();
        assertThat(g.givenUp()).isEqualTo(3);
    }

    @Test
    void shouldConvergeUnderRandomLossWhenRetransmissionsArrive() {
        long seed = 0x5EEDL;
        SplittableRandom r = new SplittableRandom(seed);
        GapTracker g = new GapTracker();
        List<Long> lost = new ArrayList<>();
        for (long s = 0; s < 10_000; s++) {
            if (r.nextInt(100) < 5) {
                lost.add(s);
            } else {
                g.onSeq(s);
            }
            if (lost.size() > 20) {
                // answer the oldest requests, as a master would
                g.onSeq(lost.remove(0));
            }
        }
        lost.forEach(g::onSeq);
        assertThat(g.missing()).as("seed %x", seed).isZero();
        assertThat(g.received()).isEqualTo(10_000 - g.givenUp());
    }

    @Test
    void shouldGiveUpChosenRangesAndEverythingBelowANumber() {
        GapTracker g = new GapTracker();
        g.onSeq(0);
        g.onSeq(10);
        g.onSeq(20);
        // missing 1..9 and 11..19: 18 numbers lost
        assertThat(g.lost()).isEqualTo(18);
        assertThat(g.firstMissing()).isEqualTo(1);
        assertThat(g.isMissing(5)).isTrue();
        assertThat(g.isMissing(10)).isFalse();
        // 4..6 out of the middle of 1..9 leaves 1..3 and 7..9
        assertThat(g.giveUp(4, 6)).isEqualTo(3);
        assertThat(g.isMissing(5)).isFalse();
        assertThat(g.isMissing(3)).isTrue();
        assertThat(g.isMissing(7)).isTrue();
        assertThat(g.ranges()).isEqualTo(3);
        // below 12: 1..3, 7..9 and 11
        assertThat(g.giveUpBelow(12)).isEqualTo(7);
        assertThat(g.firstMissing()).isEqualTo(12);
        assertThat(g.missing()).isEqualTo(8);
        assertThat(g.givenUp()).isEqualTo(10);
        assertThat(g.onSeq(5)).as("given up: a duplicate now").isFalse();
        assertThat(g.giveUp(100, 200)).isZero();
    }
}
