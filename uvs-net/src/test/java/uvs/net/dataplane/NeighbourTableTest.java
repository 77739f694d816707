package uvs.net.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import uvs.core.net.Af;

class NeighbourTableTest {
    private static final long SEC = 1_000_000_000L;
    private static final long RS1 = 0x0A64010BL; // 10.100.1.11

    @Test
    void shouldRequestUnresolvedAddressOncePerSecond() {
        NeighbourTable t = new NeighbourTable(16);
        assertThat(t.mac(Af.INET, 0, RS1)).isEqualTo(NeighbourTable.NONE);
        assertThat(t.shouldRequest(Af.INET, 0, RS1, 10 * SEC)).isTrue();
        assertThat(t.shouldRequest(Af.INET, 0, RS1, 10 * SEC + SEC / 2)).isFalse();
        assertThat(t.shouldRequest(Af.INET, 0, RS1, 11 * SEC)).isTrue();
    }

    @Test
    void shouldResolveFromLearnedMacAndRefreshAfterReachableTime() {
        NeighbourTable t = new NeighbourTable(16);
        t.shouldRequest(Af.INET, 0, RS1, SEC);
        t.learn(Af.INET, 0, RS1, 0x02_00_00_00_00_0BL, 2 * SEC, false);
        assertThat(t.mac(Af.INET, 0, RS1)).isEqualTo(0x02_00_00_00_00_0BL);
        assertThat(t.shouldRequest(Af.INET, 0, RS1, 3 * SEC)).isFalse();
        // confirmed at 2 s: due again at 32 s, still usable meanwhile
        assertThat(t.shouldRequest(Af.INET, 0, RS1, 32 * SEC)).isTrue();
        assertThat(t.mac(Af.INET, 0, RS1)).isEqualTo(0x02_00_00_00_00_0BL);
    }

    @Test
    void shouldNotCreateEntriesFromUnsolicitedBroadcastsButUpdateKnownOnes() {
        NeighbourTable t = new NeighbourTable(16);
        t.learn(Af.INET, 0, RS1, 0xAAL, SEC, false);
        assertThat(t.size()).isZero();
        t.learn(Af.INET, 0, RS1, 0xAAL, SEC, true);
        t.learn(Af.INET, 0, RS1, 0xBBL, 2 * SEC, false);
        assertThat(t.mac(Af.INET, 0, RS1)).isEqualTo(0xBBL);
    }

    @Test
    void shouldKeepFamiliesApart() {
        NeighbourTable t = new NeighbourTable(16);
        t.learn(Af.INET, 0, 1, 0x11L, SEC, true);
        t.learn(Af.INET6, 0, 1, 0x22L, SEC, true);
        assertThat(t.mac(Af.INET, 0, 1)).isEqualTo(0x11L);
        assertThat(t.mac(Af.INET6, 0, 1)).isEqualTo(0x22L);
    }

    @Test
    void shouldRefuseNewAddressesWhenFullAndKeepOldOnes() {
        NeighbourTable t = new NeighbourTable(4); // 8 slots, at most 4 entries
        for (int i = 1; i <= 6; i++) {
            t.learn(Af.INET, 0, i, i, SEC, true);
        }
        assertThat(t.size()).isEqualTo(4);
        assertThat(t.refused()).isEqualTo(2);
        assertThat(t.mac(Af.INET, 0, 1)).isEqualTo(1L);
        assertThat(t.shouldRequest(Af.INET, 0, 99, SEC)).isFalse();
    }

    @Test
    void shouldRejectBadCapacity() {
        assertThatThrownBy(() -> new NeighbourTable(0)).hasMessageContaining("capacity");
    }
}
