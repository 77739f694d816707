package uvs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The router's resilient next-hop group: equal shares by hash-threshold, a flow stays on its director while that
 * one is in the group, a removed director's flows spread over the others and come back when it rejoins.
 */
class EcmpRouterTest {
    private static final long SEED = 7;
    private static final int FLOWS = 3000;

    @Test
    void shouldKeepFlowsOnTheirDirectorAndSpreadOnlyTheRemovedOnesFlows() {
        FlowPopulation flows = new FlowPopulation();
        SplittableRandom random = new SplittableRandom(SEED);
        int[] perOwner = new int[3];
        for (int n = 0; n < FLOWS; n++) {
            int i = flows.add();
            long hash = EcmpRouter.hash(SEED, Simulation.CLIENT_BASE + random.nextInt(1000), 1024 + n);
            flows.owner[i] = EcmpRouter.owner(hash, 3);
            flows.alt[i] = EcmpRouter.survivorHash(hash);
            perOwner[flows.owner[i]]++;
        }
        for (int d = 0; d < 3; d++) {
            assertThat(perOwner[d]).as("director %d's share of %d flows (seed %d)", d, FLOWS, SEED)
                .isBetween(900, 1100);
        }
        EcmpRouter router = new EcmpRouter(3);
        int toB = 0;
        // A in the group, A out (failed), A back (preempt)
        for (int phase = 0; phase < 3; phase++) {
            router.moved(phase == 1 ? 1 : 0, phase != 1);
            for (int i = 0; i < flows.size(); i++) {
                int picked = router.route(flows, i);
                if (phase == 1 && flows.owner[i] == 0) {
                    assertThat(picked).as("A's flow %d while A is out", i).isIn(1, 2);
                    toB += picked == 1 ? 1 : 0;
                } else {
                    assertThat(picked).as("flow %d in phase %d (seed %d)", i, phase, SEED).isEqualTo(flows.owner[i]);
                }
            }
        }
        assertThat(toB).as("A's flows spread over B and C (seed %d)", SEED)
            .isBetween(perOwner[0] / 3, perOwner[0] * 2 / 3);
    }

    @Test
    void shouldSendEveryFlowToTheActiveDirectorInStandby() {
        FlowPopulation flows = new FlowPopulation();
        flows.add();
        StandbyRouter router = new StandbyRouter();
        assertThat(router.route(flows, 0)).isZero();
        router.moved(1, false);
        assertThat(router.route(flows, 0)).isEqualTo(1);
    }
}
