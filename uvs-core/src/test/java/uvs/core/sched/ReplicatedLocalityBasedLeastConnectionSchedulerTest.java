package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServer;

class ReplicatedLocalityBasedLeastConnectionSchedulerTest {
    private static final String DST = "192.0.2.50";
    private static final int DST_ADDR = IpAddress.parse(DST).v4();

    private final SchedFixture f = new SchedFixture("lblcr");
    private final ReplicatedLocalityBasedLeastConnectionScheduler lblcr =
        f.use(new ReplicatedLocalityBasedLeastConnectionScheduler(f.context(new SplittableRandom(1), 86_400, 600)));

    private RealServer pickFor(String dst) {
        return f.pick("198.51.100.1", 1234, dst);
    }

    @Test
    void shouldStartSetWithWlcChoiceAndStickToIt() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        assertThat(pickFor(DST)).isSameAs(b);
        DestSet set = lblcr.cachedSet(DST_ADDR);
        assertThat(set.size()).isEqualTo(1);
        assertThat(set.member(0)).isSameAs(b);
        b.counters(1, 50, 0);
        // wlc would pick A now; the set's only member B is not overloaded (1 ≤ 1)
        assertThat(pickFor(DST)).isSameAs(b);
        assertThat(pickFor("192.0.2.51")).isSameAs(a);
        assertThat(lblcr.cacheEntries()).isEqualTo(2);
        assertThat(lblcr.name()).isEqualTo("lblcr");
    }

    @Test
    void shouldAddWlcChoiceToSetWhenMemberIsOverloaded() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        assertThat(pickFor(DST)).isSameAs(b);
        b.counters(2, 0, 0);
        // B: 2 > 1 and A: 0·2 < 1 → overloaded → wlc over the service → A, added as newest member
        assertThat(pickFor(DST)).isSameAs(a);
        DestSet set = lblcr.cachedSet(DST_ADDR);
        assertThat(set.size()).isEqualTo(2);
        assertThat(set.member(0)).isSameAs(a);
        assertThat(set.member(1)).isSameAs(b);
        // now the set's weighted least is A (0 vs 512)
        assertThat(pickFor(DST)).isSameAs(a);
        assertThat(set.size()).isEqualTo(2);
    }

    @Test
    void shouldPickWeightedLeastMemberNewestFirstOnTie() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 1);
        assertThat(pickFor(DST)).isSameAs(c);
        c.counters(2, 0, 0);
        // C overloaded (A, B idle): wlc → B (first of B, A), set = {B, C}
        assertThat(pickFor(DST)).isSameAs(b);
        c.counters(0, 0, 0);
        // C and B both idle: the newest member, B, wins the tie
        assertThat(pickFor(DST)).isSameAs(b);
        // members that are not AVAILABLE or OVERLOADed are skipped
        b.overloaded(true);
        assertThat(pickFor(DST)).isSameAs(c);
        b.overloaded(false);
        f.remove(b);
        assertThat(pickFor(DST)).isSameAs(c);
        assertThat(a.weight()).isEqualTo(1);
    }

    @Test
    void shouldUseWlcWhenNoMemberQualifiesWithoutDuplicatingMembers() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        assertThat(pickFor(DST)).isSameAs(b);
        b.overloaded(true);
        // set min is empty → wlc (skips OVERLOADed B) → A joins
        assertThat(pickFor(DST)).isSameAs(a);
        b.overloaded(false);
        a.overloaded(true);
        // set {A, B}: min is B
        assertThat(pickFor(DST)).isSameAs(b);
        DestSet set = lblcr.cachedSet(DST_ADDR);
        assertThat(set.size()).isEqualTo(2);
        f.weight(b, 0);
        // no qualifying member; wlc: A OVERLOADed, B weight 0 → no dest
        assertThat(pickFor(DST)).isNull();
        a.overloaded(false);
        // A qualifies again as the set's least member: no new member
        assertThat(pickFor(DST)).isSameAs(a);
        assertThat(set.size()).isEqualTo(2);
    }

    @Test
    void shouldDropMostLoadedMemberWhenSetUnchangedForExpiration() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        assertThat(pickFor(DST)).isSameAs(b);
        b.counters(2, 0, 0);
        assertThat(pickFor(DST)).isSameAs(a); // set {A, B}, lastmod t0
        DestSet set = lblcr.cachedSet(DST_ADDR);
        // lblcr_expiration is 600 s here: at exactly t0 + 600 s nothing happens (must be after)
        f.clock.advanceSeconds(600);
        assertThat(pickFor(DST)).isSameAs(a);
        assertThat(set.size()).isEqualTo(2);
        f.clock.advanceMillis(4);
        // one jiffy later: B (512 per weight) is the most loaded and goes; A (0) is still used
        assertThat(pickFor(DST)).isSameAs(a);
        assertThat(set.size()).isEqualTo(1);
        assertThat(set.member(0)).isSameAs(a);
        assertThat(set.lastmod()).isEqualTo(f.now());
    }

    @Test
    void shouldExpireUnusedEntriesOnFullCheck() {
        RealServer a = f.add("10.0.0.1", 1);
        assertThat(pickFor(DST)).isSameAs(a);
        // lblcr_expiration 600 s: the full (30th) check at t0 + 30 min removes the entry
        for (int m = 1; m <= 30; m++) {
            f.clock.advanceSeconds(60);
            lblcr.onTick(f.svc, f.now());
            if (m == 29) {
                assertThat(lblcr.cacheEntries()).isEqualTo(1);
            }
        }
        assertThat(lblcr.cacheEntries()).isZero();
        assertThat(lblcr.cachedSet(DST_ADDR)).isNull();
    }

    @Test
    void shouldReturnNullWhenEmpty() {
        assertThat(pickFor(DST)).isNull();
        assertThat(lblcr.cacheEntries()).isZero();
    }
}
