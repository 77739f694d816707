package uvs.ctl.view;

import uvs.core.stats.Stats;

/**
 * Counters and estimated rates of a service, a real server or the whole engine, as ipvsadm's stats64
 * carries them. Counters are unsigned 64-bit values.
 *
 * @param conns connections scheduled
 * @param inPkts packets client → server
 * @param outPkts packets server → client
 * @param inBytes bytes client → server
 * @param outBytes bytes server → client
 * @param cps connections per second (estimator)
 * @param inPps incoming packets per second
 * @param outPps outgoing packets per second
 * @param inBps incoming bytes per second
 * @param outBps outgoing bytes per second
 */
public record StatsView(long conns, long inPkts, long outPkts, long inBytes, long outBytes,
                        long cps, long inPps, long outPps, long inBps, long outBps) {
    /** All zero. */
    public static final StatsView ZERO = new StatsView(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** A copy of the live counters and rates of {@code s}. */
    public static StatsView of(Stats s) {
        return new StatsView(s.conns(), s.inPkts(), s.outPkts(), s.inBytes(), s.outBytes(),
            s.cps(), s.inPps(), s.outPps(), s.inBps(), s.outBps());
    }

    /** Counters only, rates zero (tests and hand-built views). */
    public static StatsView counters(long conns, long inPkts, long outPkts, long inBytes, long outBytes) {
        return new StatsView(conns, inPkts, outPkts, inBytes, outBytes, 0, 0, 0, 0, 0);
    }
}
