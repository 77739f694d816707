package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.RealServer;

class LocalityBasedLeastConnectionSchedulerTest {
    /** Multiplicative inverse of GOLDEN_RATIO_32 mod 2^32: lets a test pick an address's hash chain. */
    private static final int GOLDEN_RATIO_INVERSE = 0xEBB34377;

    private final SchedFixture f = new SchedFixture("lblc");
    private final LocalityBasedLeastConnectionScheduler lblc =
        f.use(new LocalityBasedLeastConnectionScheduler(f.context(new SplittableRandom(1), 600, 600)));

    private RealServer pickFor(String dst) {
        return f.pick("198.51.100.1", 1234, dst);
    }

    @Test
    void shouldCacheWlcChoicePerDestinationAddress() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        // both idle: wlc keeps the first, B
        assertThat(pickFor("192.0.2.50")).isSameAs(b);
        assertThat(lblc.cacheEntries()).isEqualTo(1);
        b.counters(1, 100, 0);
        // wlc would now pick A (0 < 356), but the cached B is fine (1 active ≤ weight 1)
        assertThat(pickFor("192.0.2.50")).isSameAs(b);
        assertThat(pickFor("192.0.2.51")).isSameAs(a);
        assertThat(lblc.cacheEntries()).isEqualTo(2);
        assertThat(lblc.name()).isEqualTo("lblc");
    }

    @Test
    void shouldIgnoreOverloadFlagOfCachedDest() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        assertThat(pickFor("192.0.2.50")).isSameAs(b);
        b.overloaded(true);
        // spec §12 item 11: the cached dest is used although OVERLOADed; a new address skips it
        assertThat(pickFor("192.0.2.50")).isSameAs(b);
        assertThat(pickFor("192.0.2.51")).isSameAs(a);
    }

    @Test
    void shouldRescheduleWhenCachedDestIsOverloadedAndAnotherIsBelowHalf() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        assertThat(pickFor("192.0.2.50")).isSameAs(b);
        b.counters(2, 0, 0);
        // B: 2 active > weight 1, and A: 0·2 < 1 → overloaded → wlc → A, which replaces the entry
        assertThat(pickFor("192.0.2.50")).isSameAs(a);
        assertThat(lblc.cacheEntries()).isEqualTo(1);
        b.counters(0, 0, 0);
        assertThat(pickFor("192.0.2.50")).isSameAs(a);
    }

    @Test
    void shouldKeepCachedDestWhenNoDestIsBelowHalfOfItsWeight() {
        RealServer a = f.add("10.0.0.1", 2);
        RealServer b = f.add("10.0.0.2", 1);
        assertThat(pickFor("192.0.2.50")).isSameAs(b);
        b.counters(2, 0, 0);
        a.counters(1, 0, 0);
        // B has 2 > 1 active, but A: 1·2 < 2 is false and B: 2·2 < 1 is false → not overloaded
        assertThat(pickFor("192.0.2.50")).isSameAs(b);
    }

    @Test
    void shouldRescheduleWhenCachedDestIsQuiescedOrRemoved() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer c = f.add("10.0.0.3", 1);
        assertThat(pickFor("192.0.2.50")).isSameAs(c);
        f.weight(c, 0);
        // list C, B, A: wlc skips weight-0 C → B
        assertThat(pickFor("192.0.2.50")).isSameAs(b);
        f.remove(b);
        // B is no longer AVAILABLE → A
        assertThat(pickFor("192.0.2.50")).isSameAs(a);
        assertThat(lblc.cacheEntries()).isEqualTo(1);
    }

    @Test
    void shouldReturnNullButKeepEntryWhenNoDestQualifies() {
        assertThat(pickFor("192.0.2.50")).isNull();
        assertThat(lblc.cacheEntries()).isZero();
        RealServer a = f.add("10.0.0.1", 1);
        assertThat(pickFor("192.0.2.50")).isSameAs(a);
        f.weight(a, 0);
        assertThat(pickFor("192.0.2.50")).isNull();
        assertThat(lblc.cacheEntries()).isEqualTo(1);
    }

    @Test
    void shouldKeyIpv6EntriesByFullAddress() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        // both fold to 0x20010db8 ^ 1: same hash chain, different addresses
        IpAddress d1 = IpAddress.parse("2001:db8::1");
        IpAddress d2 = IpAddress.parse("2001:db8:0:1::");
        assertThat(d1.fold()).isEqualTo(d2.fold());
        assertThat(pickV6(d1)).isSameAs(b);
        b.counters(1, 0, 0);
        assertThat(pickV6(d2)).isSameAs(a);
        assertThat(pickV6(d1)).isSameAs(b);
        assertThat(lblc.cacheEntries()).isEqualTo(2);
    }

    private RealServer pickV6(IpAddress dst) {
        f.pkt.clear().ipv6(IpProto.TCP, 0x2001_0db8_ffff_0000L, 9, 5000, dst.hi(), dst.lo(), 80);
        return lblc.schedule(f.svc, f.pkt);
    }

    @Test
    void shouldExpireUnusedEntriesOnEveryThirtiethCheck() {
        RealServer a = f.add("10.0.0.1", 1);
        assertThat(pickFor("192.0.2.50")).isSameAs(a); // used at t0 only
        // ticks every 10 s; the check runs every 60 s: the 30th check is the full one, at t0 + 30 min.
        // lblc_expiration is 10 min here: the t0 entry goes, the one used at t0 + 25 min stays.
        for (int s = 10; s <= 30 * 60; s += 10) {
            f.clock.advanceSeconds(10);
            if (s == 25 * 60) {
                assertThat(pickFor("192.0.2.51")).isSameAs(a);
            }
            lblc.onTick(f.svc, f.now());
            if (s == 29 * 60) {
                assertThat(lblc.cacheEntries()).as("after check 29").isEqualTo(2);
            }
        }
        assertThat(lblc.cacheEntries()).isEqualTo(1);
        // 192.0.2.51 is still cached: a hit does not add an entry
        assertThat(pickFor("192.0.2.51")).isSameAs(a);
        assertThat(lblc.cacheEntries()).isEqualTo(1);
    }

    @Test
    void shouldTrimWholeChainsFromRoverWhenOverMaxSize() {
        RealServer a = f.add("10.0.0.1", 1);
        assertThat(GOLDEN_RATIO_INVERSE * HashFunctions.GOLDEN_RATIO_32).isEqualTo(1);
        // 17 entries in each of the 1024 chains: 17408 entries, 1024 over the 16384 limit
        for (int chain = 0; chain < 1024; chain++) {
            for (int k = 0; k < 17; k++) {
                pickForChain(chain, k);
            }
        }
        assertThat(lblc.cacheEntries()).isEqualTo(17_408);
        // a check at t0 + 5 min: trims, but nothing has been idle for 6 min
        f.clock.advanceSeconds(5 * 60);
        lblc.onTick(f.svc, f.now());
        assertThat(lblc.cacheEntries()).isEqualTo(17_408);
        // t0 + 7 min: goal = 1024·4/3 = 1365; chains 1, 2, … go whole (17 each) until ≥ 1365 removed:
        // 80 chains = 1360 < 1365, 81 chains = 1377 → 17408 − 1377 = 16031 left, rover at chain 81
        f.clock.advanceSeconds(2 * 60);
        lblc.onTick(f.svc, f.now());
        assertThat(lblc.cacheEntries()).isEqualTo(16_031);
        pickForChain(0, 0);   // kept (the rover started after chain 0): a hit
        pickForChain(82, 0);  // kept: a hit
        assertThat(lblc.cacheEntries()).isEqualTo(16_031);
        pickForChain(81, 16); // removed: a miss adds it back
        assertThat(lblc.cacheEntries()).isEqualTo(16_032);
        assertThat(a.weight()).isEqualTo(1);
    }

    /** Schedules for the {@code k}-th address whose hash_32(·, 10) is {@code chain}. */
    private void pickForChain(int chain, int k) {
        int addr = ((chain << 22) | k) * GOLDEN_RATIO_INVERSE;
        f.pkt.clear().ipv4(IpProto.TCP, 0xC6336401, 1234, addr, 80);
        lblc.schedule(f.svc, f.pkt);
    }
}
