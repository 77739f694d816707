package uvs.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Spec §9.3: every 2 s, rate = Δcount &lt;&lt; 9 (counts) or Δbytes &lt;&lt; 4 (bytes), avg += (rate − avg) &gt;&gt; 2
 * (signed), shown as (avg + 0x1FF) &gt;&gt; 10 and (avg + 0xF) &gt;&gt; 5. Every expected value below is worked out
 * from those formulas by hand.
 */
class RateEstimatorTest {
    private final Stats s = new Stats();

    private void conns(int n) {
        for (int i = 0; i < n; i++) {
            s.countConn();
        }
    }

    @Test
    void shouldEstimateAQuarterOfTheFirstIntervalRate() {
        conns(1000);
        RateEstimator.tick(s);
        // rate = 1000 << 9 = 512000; avg = 512000 >> 2 = 128000; cps = (128000 + 511) >> 10 = 125
        assertThat(s.cpsAvg).isEqualTo(128_000L);
        assertThat(s.cps()).isEqualTo(125L);
        assertThat(s.conns()).isEqualTo(1000L);
    }

    @Test
    void shouldConvergeToAConstantRate() {
        // 500 conns per 2 s = 250 cps: rate = 500 << 9 = 256000; gap g = 256000 − avg shrinks by g >> 2:
        // g: 256000, 192000, 144000, 108000, 81000, 60750 → avg 64000, 112000, 148000, 175000, 195250
        // cps = (avg + 511) >> 10: 64511→62, 112511→109, 148511→145, 175511→171, 195761→191
        long[] avg = {64_000, 112_000, 148_000, 175_000, 195_250};
        long[] cps = {62, 109, 145, 171, 191};
        for (int i = 0; i < avg.length; i++) {
            conns(500);
            RateEstimator.tick(s);
            assertThat(s.cpsAvg).as("avg after tick %d", i + 1).isEqualTo(avg[i]);
            assertThat(s.cps()).as("cps after tick %d", i + 1).isEqualTo(cps[i]);
        }
        // g' = g − (g >> 2) ≤ 3g/4 + 3/4, so g_n − 3 ≤ (3/4)^n·(g_0 − 3) and 256000·(3/4)^50 < 1: after 50
        // ticks g ≤ 3, avg in [255997, 256000] and cps = (avg + 511) >> 10 = 250 (250·1024 = 256000)
        for (int i = 0; i < 45; i++) {
            conns(500);
            RateEstimator.tick(s);
        }
        assertThat(s.cpsAvg).isBetween(255_997L, 256_000L);
        assertThat(s.cps()).isEqualTo(250L);
    }

    @Test
    void shouldDecayToExactlyZeroWithoutTraffic() {
        conns(1000);
        RateEstimator.tick(s);
        // rate 0: avg += (−avg) >> 2; 128000 → 96000 → 72000 → 54000 → 40500
        // cps: 96511>>10 = 94, 72511>>10 = 70, 54511>>10 = 53, 41011>>10 = 40
        long[] avg = {96_000, 72_000, 54_000, 40_500};
        long[] cps = {94, 70, 53, 40};
        for (int i = 0; i < avg.length; i++) {
            RateEstimator.tick(s);
            assertThat(s.cpsAvg).isEqualTo(avg[i]);
            assertThat(s.cps()).isEqualTo(cps[i]);
        }
        // the signed shift rounds towards −∞ ((−1) >> 2 = −1), so avg' = avg − ⌈avg/4⌉ ≤ 3·avg/4 reaches 0
        // instead of sticking at 1..3; 40500·(3/4)^37 < 1, so 60 more ticks are plenty
        for (int i = 0; i < 60; i++) {
            RateEstimator.tick(s);
        }
        assertThat(s.cpsAvg).isZero();
        assertThat(s.cps()).isZero();
    }

    @Test
    void shouldRoundHalfARateDown() {
        // 4 conns: avg = (4 << 9) >> 2 = 512 = 0.5 cps → (512 + 511) >> 10 = 0
        conns(4);
        RateEstimator.tick(s);
        assertThat(s.cpsAvg).isEqualTo(512L);
        assertThat(s.cps()).isZero();
        // 1 more conn next tick: rate 512, avg += (512 − 512) >> 2 = 512 still
        s.countConn();
        RateEstimator.tick(s);
        assertThat(s.cpsAvg).isEqualTo(512L);
        // fresh: 5 conns → avg = 2560 >> 2 = 640 → (640 + 511) >> 10 = 1
        Stats five = new Stats();
        for (int i = 0; i < 5; i++) {
            five.countConn();
        }
        RateEstimator.tick(five);
        assertThat(five.cps()).isEqualTo(1L);
    }

    @Test
    void shouldScaleBytesBySixteenAndPacketsByFiveHundredTwelve() {
        for (int i = 0; i < 1000; i++) {
            s.countIn(1000);
        }
        for (int i = 0; i < 10; i++) {
            s.countOut(1500);
        }
        RateEstimator.tick(s);
        // in: 1000 pkts → (1000 << 9) >> 2 = 128000 → pps (128000 + 511) >> 10 = 125
        //     1 000 000 B → (1000000 << 4) >> 2 = 4000000 → bps (4000000 + 15) >> 5 = 125000
        assertThat(s.inPkts()).isEqualTo(1000L);
        assertThat(s.inBytes()).isEqualTo(1_000_000L);
        assertThat(s.inPpsAvg).isEqualTo(128_000L);
        assertThat(s.inPps()).isEqualTo(125L);
        assertThat(s.inBpsAvg).isEqualTo(4_000_000L);
        assertThat(s.inBps()).isEqualTo(125_000L);
        // out: 10 pkts → 5120 >> 2 = 1280 → (1280 + 511) >> 10 = 1
        //      15000 B → (15000 << 4) >> 2 = 60000 → (60000 + 15) >> 5 = 1875
        assertThat(s.outPkts()).isEqualTo(10L);
        assertThat(s.outBytes()).isEqualTo(15_000L);
        assertThat(s.outPpsAvg).isEqualTo(1280L);
        assertThat(s.outPps()).isEqualTo(1L);
        assertThat(s.outBpsAvg).isEqualTo(60_000L);
        assertThat(s.outBps()).isEqualTo(1875L);
        // no new connections: connection rate untouched
        assertThat(s.cps()).isZero();
    }

    @Test
    void shouldUseOnlyTheDeltaSinceTheLastTick() {
        conns(1000);
        RateEstimator.tick(s);
        conns(1000);
        RateEstimator.tick(s);
        // second tick: Δ = 1000 again → rate 512000; avg = 128000 + (512000 − 128000) >> 2 = 224000
        // cps = (224000 + 511) >> 10 = 224511 >> 10 = 219 (219·1024 = 224256 ≤ 224511 < 225280 = 220·1024)
        assertThat(s.cpsAvg).isEqualTo(224_000L);
        assertThat(s.cps()).isEqualTo(219L);
    }

    @Test
    void shouldZeroCountersAndRatesAndRestartFromZero() {
        conns(1000);
        s.countIn(100);
        s.countOut(200);
        RateEstimator.tick(s);
        s.zero();
        assertThat(s.conns()).isZero();
        assertThat(s.inPkts()).isZero();
        assertThat(s.outPkts()).isZero();
        assertThat(s.inBytes()).isZero();
        assertThat(s.outBytes()).isZero();
        assertThat(s.cps()).isZero();
        assertThat(s.inPps()).isZero();
        assertThat(s.outPps()).isZero();
        assertThat(s.inBps()).isZero();
        assertThat(s.outBps()).isZero();
        // only traffic after -Z counts: 200 conns → (200 << 9) >> 2 = 25600 → (25600 + 511) >> 10 = 25
        conns(200);
        RateEstimator.tick(s);
        assertThat(s.cpsAvg).isEqualTo(25_600L);
        assertThat(s.cps()).isEqualTo(25L);
        assertThat(s.inPps()).isZero();
    }

    @Test
    void shouldTickEveryTwoSeconds() {
        assertThat(RateEstimator.INTERVAL_SECONDS).isEqualTo(2);
    }
}
