package uvs.core.stats;

/**
 * The kernel's rate estimator (ip_vs_est): every {@link #INTERVAL_SECONDS} seconds each {@link Stats}
 * turns its counter deltas into exponentially weighted averages. Counts use a scale of 2^10 per second
 * (delta &lt;&lt; 9 over 2 s), bytes 2^5 per second (delta &lt;&lt; 4); each average moves a quarter of the
 * way to the new sample.
 */
public final class RateEstimator {
    /** Estimation period. */
    public static final int INTERVAL_SECONDS = 2;

    private RateEstimator() {
    }

    /** One estimation tick for {@code s}. */
    public static void tick(Stats s) {
        long rate = (s.conns - s.lastConns) << 9;
        s.lastConns = s.conns;
        s.cpsAvg += (rate - s.cpsAvg) >> 2;

        rate = (s.inPkts - s.lastInPkts) << 9;
        s.lastInPkts = s.inPkts;
        s.inPpsAvg += (rate - s.inPpsAvg) >> 2;

        rate = (s.outPkts - s.lastOutPkts) << 9;
        s.lastOutPkts = s.outPkts;
        s.outPpsAvg += (rate - s.outPpsAvg) >> 2;

        rate = (s.inBytes - s.lastInBytes) << 4;
        s.lastInBytes = s.inBytes;
        s.inBpsAvg += (rate - s.inBpsAvg) >> 2;

        rate = (s.outBytes - s.lastOutBytes) << 4;
        s.lastOutBytes = s.outBytes;
        s.outBpsAvg += (rate - s.outBpsAvg) >> 2;
    }
}
