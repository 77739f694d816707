package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The supervisor's policy: restart a part a few times, then (or on any Error) stop uvsd with exit 70. */
class SupervisorTest {
    private final List<Integer> exits = new CopyOnWriteArrayList<>();
    private final Supervisor supervisor = new Supervisor(exits::add);

    @Test
    void shouldRestartAFailingPartThenGiveUpAndStopTheDaemon() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Thread t = supervisor.startRestarting("uvs-test-part", () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("broken");
        }, () -> true);
        t.join(5000);
        assertThat(runs.get()).isEqualTo(Supervisor.MAX_RESTARTS + 1);
        assertThat(exits).containsExactly(Supervisor.EXIT_FAILED);
        assertThat(supervisor.errorCounts().get("uvs-test-part")).isEqualTo(Supervisor.MAX_RESTARTS + 2L);
        assertThat(supervisor.failure()).contains("failed " + Supervisor.MAX_RESTARTS + " times within a minute");
    }

    @Test
    void shouldRestartAPartThatRecoversAndStopOnAnError() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        boolean[] stop = {false};
        Thread t = supervisor.startRestarting("uvs-test-part", () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("once");
            }
            stop[0] = true;
        }, () -> !stop[0]);
        t.join(5000);
        assertThat(runs.get()).isEqualTo(2);
        assertThat(exits).isEmpty();
        Thread e = supervisor.start("uvs-test-error", () -> {
            throw new StackOverflowError();
        });
        e.join(5000);
        assertThat(exits).containsExactly(Supervisor.EXIT_FAILED);
        assertThat(supervisor.failure()).isEqualTo("uvs-test-error: StackOverflowError");
    }
}
