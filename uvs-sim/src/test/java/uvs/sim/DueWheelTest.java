package uvs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The wheel against a plain list of (flow, tick) under the simulator's use: file, take due, move the last. */
class DueWheelTest {
    private static int[] taken(DueWheel w, int n) {
        int[] t = Arrays.copyOf(w.taken(), n);
        Arrays.sort(t);
        return t;
    }

    @Test
    void shouldHandOutEachFlowAtItsTickAcrossTurnsAndMoves() {
        long seed = 42;
        SplittableRandom rnd = new SplittableRandom(seed);
        // a small wheel, so that many flows wait whole turns
        DueWheel w = new DueWheel(16);
        List<int[]> model = new ArrayList<>(); // index = flow, {tick}
        for (int tick = 0; tick < 2000; tick++) {
            for (int k = rnd.nextInt(4); k > 0; k--) {
                model.add(new int[] {tick + rnd.nextInt(100)});
                w.file(model.size() - 1, model.get(model.size() - 1)[0]);
            }
            int n = w.takeDue(tick);
            List<Integer> expected = new ArrayList<>();
            for (int f = 0; f < model.size(); f++) {
                if (model.get(f)[0] == tick) {
                    expected.add(f);
                }
            }
            assertThat(taken(w, n)).as("seed %d, tick %d", seed, tick)
                .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
            // the simulator's use: some flows go on, the others end and the last flow takes their index
            int[] due = taken(w, n);
            for (int j = due.length - 1; j >= 0; j--) {
                int f = due[j];
                if (rnd.nextBoolean()) {
                    model.get(f)[0] = tick + 1 + rnd.nextInt(50);
                    w.file(f, model.get(f)[0]);
                }
            }
            for (int j = due.length - 1; j >= 0; j--) {
                int f = due[j];
                if (model.get(f)[0] == tick) {
                    int last = model.size() - 1;
                    if (f != last) {
                        w.move(last, f);
                        model.set(f, model.get(last));
                    }
                    model.remove(last);
                }
            }
        }
        assertThat(model).as("seed %d: flows still filed", seed).isNotEmpty();
    }

    @Test
    void shouldRefuseASizeThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new DueWheel(1000)).hasMessageContaining("1000");
    }
}
