package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uvs.core.svc.RealServer;

class RoundRobinSchedulerTest {
    private final SchedFixture f = new SchedFixture("rr");
    private final RoundRobinScheduler rr = f.use(new RoundRobinScheduler());

    @Test
    void shouldCycleInListOrderNewestFirst() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 1);
        // list is C, B, A (each add goes to the head); the walk starts at the head
        assertThat(f.sequence(7, a, b, c)).isEqualTo("CBACBAC");
        assertThat(rr.name()).isEqualTo("rr");
    }

    @Test
    void shouldSkipWeightZeroAndOverloaded() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 0);
        RealServer c = f.add("10.0.0.3", 5);
        a.overloaded(true);
        // only C qualifies; weights do not matter to rr beyond > 0
        assertThat(f.sequence(3, a, b, c)).isEqualTo("CCC");
        a.overloaded(false);
        assertThat(f.sequence(3, a, b, c)).isEqualTo("ACA");
    }

    @Test
    void shouldReturnNullWhenNothingQualifies() {
        assertThat(f.pick()).isNull();
        RealServer a = f.add("10.0.0.1", 0);
        RealServer b = f.add("10.0.0.2", 1);
        b.overloaded(true);
        assertThat(f.sequence(2, a, b)).isEqualTo("--");
    }

    @Test
    void shouldResumeAfterRemovedDestWhenItWasTheRememberedOne() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 1);
        RealServer d = f.add("10.0.0.4", 1);
        // list D, C, B, A: picks D then C; C is remembered
        assertThat(f.sequence(2, a, b, c, d)).isEqualTo("DC");
        f.remove(c);
        // pointer moves to C's predecessor D, so the walk resumes at C's successor B
        assertThat(f.sequence(4, a, b, c, d)).isEqualTo("BADB");
    }

    @Test
    void shouldRestartFromHeadWhenRememberedFirstDestIsRemoved() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 1);
        assertThat(f.sequence(1, a, b, c)).isEqualTo("C");
        f.remove(c);
        // C's predecessor is the list head: the next walk starts at the first dest, B
        assertThat(f.sequence(3, a, b, c)).isEqualTo("BAB");
    }

    @Test
    void shouldKeepPointerOnSameDestWhenOthersAreAddedOrRemoved() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 1);
        // list C, B, A: pick C then B; B remembered
        assertThat(f.sequence(2, a, b, c)).isEqualTo("CB");
        RealServer d = f.add("10.0.0.4", 1);
        // list D, C, B, A: after B comes A, then D
        assertThat(f.sequence(2, a, b, c, d)).isEqualTo("AD");
        f.remove(c);
        // list D, B, A with D remembered: B next
        assertThat(f.sequence(3, a, b, c, d)).isEqualTo("BAD");
    }

    @Test
    void shouldPickRememberedDestAgainWhenItIsTheOnlyOne() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        assertThat(f.sequence(1, a, b)).isEqualTo("B");
        a.overloaded(true);
        // the walk covers A and then comes back to B itself
        assertThat(f.sequence(2, a, b)).isEqualTo("BB");
    }
}
