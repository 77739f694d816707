package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import uvs.lab.demo.DirectorPair;
import uvs.lab.net.HaMode;
import org.junit.jupiter.api.Tag;

/**
 * {@link ActiveActiveScenarios} behind real BGP ECMP: each director's uvsd announces the VIP through its BIRD, the
 * router's BIRD installs the multipath route; a director is removed by SIGKILLing its uvsd, and the router must
 * have withdrawn its next hop within 1 s (read from the router's kernel, where BIRD put the route).
 */
@Tag("root")
class BgpActiveActiveE2eTest extends ActiveActiveScenarios {
    private static final long WITHDRAW_MILLIS = 1000;

    @Override
    HaMode ha() {
        return HaMode.BGP;
    }

    @Override
    String tag() {
        return "ba";
    }

    @Override
    void bothActive() {
        // the directors' uvsd announce the VIP when they start (DirectorPair.start waits for both next hops)
    }

    @Override
    void remove(DirectorPair directors, int i) throws Exception {
        List<Integer> other = List.of(i == 1 ? 2 : 1);
        long t0 = System.nanoTime();
        directors.director(i).kill();
        long ms;
        while (!lab.lab().vipNextHops().equals(other) && System.nanoTime() - t0 < 10 * WITHDRAW_MILLIS * 1_000_000) {
            Thread.sleep(5);
        }
        ms = (System.nanoTime() - t0) / 1_000_000;
        E2eLab.note("bgp: d" + i + "'s uvsd SIGKILLed, its next hop withdrawn from the router in " + ms + " ms");
        assertThat(lab.lab().vipNextHops()).as("router's VIP next hops after d%d's uvsd was killed%s", i,
            lab.diagnostics()).isEqualTo(other);
        assertThat(ms).as("ms from SIGKILL to the router's withdrawal").isLessThanOrEqualTo(WITHDRAW_MILLIS);
    }
}
