package uvs.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void shouldCountConnectionsPacketsAndBytesPerDirection() {
        Stats s = new Stats();
        s.countConn();
        s.countConn();
        s.countIn(60);
        s.countIn(1500);
        s.countIn(40);
        s.countOut(1000);
        assertThat(s.conns()).isEqualTo(2L);
        assertThat(s.inPkts()).isEqualTo(3L);
        assertThat(s.inBytes()).isEqualTo(1600L);
        assertThat(s.outPkts()).isEqualTo(1L);
        assertThat(s.outBytes()).isEqualTo(1000L);
    }

    @Test
    void shouldStartAtZero() {
        Stats s = new Stats();
        assertThat(s.conns()).isZero();
        assertThat(s.inPkts()).isZero();
        assertThat(s.outPkts()).isZero();
        assertThat(s.inBytes()).isZero();
        assertThat(s.outBytes()).isZero();
        assertThat(s.cps()).isZero();
        assertThat(s.inBps()).isZero();
    }

    @Test
    void shouldCountBytesBeyondTwoGigabytes() {
        Stats s = new Stats();
        // 3 × 1 GiB packets-worth: 3 × 2^30 = 3221225472 > Integer.MAX_VALUE
        for (int i = 0; i < 3; i++) {
            s.countIn(1 << 30);
        }
        assertThat(s.inBytes()).isEqualTo(3_221_225_472L);
    }

    @Test
    void shouldAddCountersAndRatesOfShards() {
        Stats a = new Stats();
        Stats b = new Stats();
        for (int i = 0; i < 1000; i++) {
            a.countConn();
        }
        for (int i = 0; i < 500; i++) {
            b.countConn();
            b.countOut(100);
        }
        RateEstimator.tick(a);
        RateEstimator.tick(b);
        Stats total = new Stats();
        total.addCounters(a);
        total.addCounters(b);
        // conns 1500; cpsAvg 128000 + 64000 = 192000 → (192000 + 511) >> 10 = 187
        // outBytes 50000 → b.outBpsAvg = (50000 << 4) >> 2 = 200000 → (200000 + 15) >> 5 = 6250
        assertThat(total.conns()).isEqualTo(1500L);
        assertThat(total.outPkts()).isEqualTo(500L);
        assertThat(total.outBytes()).isEqualTo(50_000L);
        assertThat(total.cps()).isEqualTo(187L);
        assertThat(total.outBps()).isEqualTo(6250L);
        assertThat(a.conns()).as("sources unchanged").isEqualTo(1000L);
    }
}
