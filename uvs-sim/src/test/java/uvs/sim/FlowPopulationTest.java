package uvs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Dense flows: removing one moves the last into its index, with its fields and its place in the wheel. */
class FlowPopulationTest {
    @Test
    void shouldMoveTheLastFlowIntoARemovedIndexAndKeepItsDueTick() {
        FlowPopulation flows = new FlowPopulation();
        for (int n = 0; n < 2000; n++) {
            int i = flows.add();
            flows.client[i] = n;
            flows.plain[i] = n % 2 == 1;
            flows.file(i, 10 + n % 3);
        }
        flows.remove(5);
        assertThat(flows.size()).isEqualTo(1999);
        assertThat(flows.client[5]).isEqualTo(1999);
        assertThat(flows.vport(5)).isEqualTo(SimDirector.PLAIN_PORT);
        // flow 1999 (now at index 5) was due at tick 10 + 1999 % 3 = 11
        int due = flows.takeDue(11);
        int[] taken = flows.taken();
        boolean found = false;
        for (int j = 0; j < due; j++) {
            found |= taken[j] == 5;
            assertThat(flows.client[taken[j]] % 3).isEqualTo(1);
        }
        assertThat(found).isTrue();
        flows.remove(flows.size() - 1);
        assertThat(flows.size()).isEqualTo(1998);
    }
}
