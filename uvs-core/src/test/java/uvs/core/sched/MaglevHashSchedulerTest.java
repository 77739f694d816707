package uvs.core.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceFlags;

/**
 * Expected slots: offsets/skips and the client slot are the spec's check values (§7.2 mh). Slot owners
 * beyond the first rounds were computed with an independent Python model of the spec's populate rule
 * (SipHash-1-3 written from the SipHash paper and checked against the official 2-4 vectors).
 */
class MaglevHashSchedulerTest {
    private static final int M = 4093;
    private static final int A_OFFSET = 3167;
    private static final int A_SKIP = 700;
    private static final int B_OFFSET = 1231;
    private static final int B_SKIP = 3544;
    private static final String CLIENT = "203.0.113.7";
    private static final int CLIENT_SLOT = 1705;

    private final SchedFixture f = new SchedFixture("mh");
    private final MaglevHashScheduler mh = f.use(new MaglevHashScheduler(f.svc));

    private static int fold(String addr) {
        return IpAddress.parse(addr).v4();
    }

    @Test
    void shouldComputeSpecOffsetsAndSkips() {
        int a = fold("10.0.0.1");
        int b = fold("10.0.0.2");
        assertThat(Integer.remainderUnsigned(MaglevHashScheduler.hashKey(MaglevHashScheduler.HASH1_KEY, a, 80, 0), M))
            .isEqualTo(A_OFFSET);
        assertThat(Integer.remainderUnsigned(MaglevHashScheduler.hashKey(MaglevHashScheduler.HASH2_KEY, a, 80, 0), M - 1)
            + 1).isEqualTo(A_SKIP);
        assertThat(Integer.remainderUnsigned(MaglevHashScheduler.hashKey(MaglevHashScheduler.HASH1_KEY, b, 80, 0), M))
            .isEqualTo(B_OFFSET);
        assertThat(Integer.remainderUnsigned(MaglevHashScheduler.hashKey(MaglevHashScheduler.HASH2_KEY, b, 80, 0), M - 1)
            + 1).isEqualTo(B_SKIP);
        assertThat(Integer.remainderUnsigned(MaglevHashScheduler.hashKey(MaglevHashScheduler.HASH1_KEY, a, 80, 0), 65521))
            .isEqualTo(798);
        assertThat(Integer.remainderUnsigned(MaglevHashScheduler.hashKey(MaglevHashScheduler.HASH2_KEY, a, 80, 0), 65520)
            + 1).isEqualTo(22552);
        int client = MaglevHashScheduler.hashKey(MaglevHashScheduler.HASH1_KEY, fold(CLIENT), 0, 0);
        assertThat(client).isEqualTo(0xa86e2c15);
        assertThat(Integer.remainderUnsigned(client, M)).isEqualTo(CLIENT_SLOT);
    }

    @Test
    void shouldTakePreferredSlotsRoundByRound() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        // list B, A, one turn each: round 1 B 1231, A 3167; round 2 B 1231+3544-4093 = 682, A 3167+700 = 3867;
        // round 3 B 682+3544-4093 = 133, A 3867+700-4093 = 474 (none collide)
        assertThat(mh.slot(1231)).isSameAs(b);
        assertThat(mh.slot(3167)).isSameAs(a);
        assertThat(mh.slot(682)).isSameAs(b);
        assertThat(mh.slot(3867)).isSameAs(a);
        assertThat(mh.slot(133)).isSameAs(b);
        assertThat(mh.slot(474)).isSameAs(a);
        // rounds of 2 over 4093 slots: B, the first of the list, gets the odd one out
        assertThat(count(b)).isEqualTo(2047);
        assertThat(count(a)).isEqualTo(2046);
        assertThat(mh.name()).isEqualTo("mh");
        assertThat(mh.tableSize()).isEqualTo(M);
    }

    @Test
    void shouldScheduleClientBySlot() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        // slot 1705 belongs to B in this table (Python model); 203.0.113.1 → slot 1505 → A
        assertThat(mh.slot(CLIENT_SLOT)).isSameAs(b);
        assertThat(f.pick(CLIENT, 4000, "192.0.2.1")).isSameAs(b);
        assertThat(f.pick("203.0.113.1", 4000, "192.0.2.1")).isSameAs(a);
    }

    @Test
    void shouldGiveTurnsByLastWeightOverGcd() {
        RealServer a = f.add("10.0.0.1", 4);
        RealServer b = f.add("10.0.0.2", 2);
        // gcd 2 → turns B 1, A 2: round 1 B 1231, A 3167 and 3867; round 2 B 682, A 474 and 1174
        assertThat(mh.slot(1231)).isSameAs(b);
        assertThat(mh.slot(3167)).isSameAs(a);
        assertThat(mh.slot(3867)).isSameAs(a);
        assertThat(mh.slot(682)).isSameAs(b);
        assertThat(mh.slot(474)).isSameAs(a);
        assertThat(mh.slot(1174)).isSameAs(a);
        // rounds of 3: 4093 = 3·1364 + 1 → B 1365, A 2728
        assertThat(count(b)).isEqualTo(1365);
        assertThat(count(a)).isEqualTo(2728);
        // the client's slot 1705 is A's in this table (Python model)
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isSameAs(a);
    }

    @Test
    void shouldShiftLargeWeightsDown() {
        RealServer a = f.add("10.0.0.1", 65535);
        RealServer b = f.add("10.0.0.2", 1);
        // gcd 1, fls(65535) = 16, rshift = 16 - 6 = 10: turns A = 65535 >> 10 = 63, B = 1 >> 10 = 0 → 1.
        // 63 full rounds of 64 slots = 4032, then 61 more: B 1, A 60 → B 64, A 63·63 + 60 = 4029
        assertThat(count(b)).isEqualTo(64);
        assertThat(count(a)).isEqualTo(4029);
    }

    @Test
    void shouldKeepSlotsOfWeightZeroDest() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        RealServer[] before = table();
        f.weight(b, 0);
        // last_weight stays 1: the rebuilt table is identical, and B's clients get no dest
        assertThat(table()).containsExactly(before);
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isNull();
        assertThat(f.pick("203.0.113.1", 0, "192.0.2.1")).isSameAs(a);
        f.weight(b, 1);
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isSameAs(b);
    }

    @Test
    void shouldLeaveDestAddedWithWeightZeroOutOfTable() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 0);
        // last_weight 0 → 0 turns: every slot is A's
        assertThat(count(a)).isEqualTo(M);
        assertThat(count(b)).isZero();
    }

    @Test
    void shouldFallBackOnlyWithMhFallback() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        b.overloaded(true);
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isNull();
        f.flags(ServiceFlags.SCHED1);
        // every slot is A's or B's, and B is unusable: the first usable slot found holds A
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isSameAs(a);
        a.overloaded(true);
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isNull();
    }

    @Test
    void shouldHashSourcePortOnlyWithMhPort() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        // port 3: hsiphash(hash1, 0xCB007107 + 3) mod 4093 = 3184, A's slot (Python model)
        assertThat(f.pick(CLIENT, 3, "192.0.2.1")).isSameAs(b);
        f.flags(ServiceFlags.SCHED2);
        assertThat(f.pick(CLIENT, 3, "192.0.2.1")).isSameAs(a);
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isSameAs(b);
        f.pkt.clear().ipv4(IpProto.ICMP, fold(CLIENT), 3, fold("192.0.2.1"), 0);
        assertThat(mh.schedule(f.svc, f.pkt)).isSameAs(b);
    }

    @Test
    void shouldUseConfiguredTableSize() {
        RealServer b = f.add("10.0.0.2", 1);
        RealServer a = f.add("10.0.0.1", 1);
        MaglevHashScheduler big = new MaglevHashScheduler(f.svc, 65521);
        // list A, B: A's first preference (its offset at M = 65521) is free when it goes first
        assertThat(big.slot(798)).isSameAs(a);
        assertThat(big.tableSize()).isEqualTo(65521);
        assertThat(b).isNotSameAs(a);
    }

    @Test
    void shouldRejectTableSizeThatIsNotAKernelPrime() {
        assertThatThrownBy(() -> new MaglevHashScheduler(f.svc, 4000))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("mh table size")
            .hasMessageContaining("4000");
    }

    @Test
    void shouldRebuildOnRemoveAndEmptyOnLastRemove() {
        RealServer a = f.add("10.0.0.1", 1);
        RealServer b = f.add("10.0.0.2", 1);
        f.remove(b);
        assertThat(count(a)).isEqualTo(M);
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isSameAs(a);
        f.remove(a);
        assertThat(count(null)).isEqualTo(M);
        assertThat(f.pick(CLIENT, 0, "192.0.2.1")).isNull();
    }

    @Test
    void shouldReturnNullWhenEmpty() {
        assertThat(f.pick()).isNull();
        f.flags(ServiceFlags.SCHED1);
        assertThat(f.pick()).isNull();
    }

    private int count(RealServer d) {
        int n = 0;
        for (int i = 0; i < mh.tableSize(); i++) {
            if (mh.slot(i) == d) {
                n++;
            }
        }
        return n;
    }

    private RealServer[] table() {
        RealServer[] t = new RealServer[mh.tableSize()];
        for (int i = 0; i < t.length; i++) {
            t[i] = mh.slot(i);
        }
        return t;
    }
}
