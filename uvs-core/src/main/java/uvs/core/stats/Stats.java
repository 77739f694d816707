package uvs.core.stats;

/**
 * Counters of one service, one real server or the whole engine: connections, packets and bytes in both
 * directions, plus the state of the kernel's rate estimator. Written only by the engine's owner thread;
 * other threads read possibly slightly stale values.
 */
public final class Stats {
    long conns;
    long inPkts;
    long outPkts;
    long inBytes;
    long outBytes;

    // rate estimator (see RateEstimator): scaled EWMAs and the counters at the last tick
    long lastConns;
    long lastInPkts;
    long lastOutPkts;
    long lastInBytes;
    long lastOutBytes;
    long cpsAvg;
    long inPpsAvg;
    long outPpsAvg;
    long inBpsAvg;
    long outBpsAvg;

    /** Counts one new connection. */
    public void countConn() {
        conns++;
    }

    /** Counts one packet of {@code bytes} in the client → server direction. */
    public void countIn(int bytes) {
        inPkts++;
        inBytes += bytes;
    }

    /** Counts one packet of {@code bytes} in the server → client direction. */
    public void countOut(int bytes) {
        outPkts++;
        outBytes += bytes;
    }

    /** Counts {@code packets} packets of {@code bytes} bytes in all in the client → server direction. */
    public void countIn(long packets, long bytes) {
        inPkts += packets;
        inBytes += bytes;
    }

    /** Counts {@code packets} packets of {@code bytes} bytes in all in the server → client direction. */
    public void countOut(long packets, long bytes) {
        outPkts += packets;
        outBytes += bytes;
    }

    /** Connections scheduled. */
    public long conns() {
        return conns;
    }

    /** Incoming packets. */
    public long inPkts() {
        return inPkts;
    }

    /** Outgoing packets. */
    public long outPkts() {
        return outPkts;
    }

    /** Incoming bytes. */
    public long inBytes() {
        return inBytes;
    }

    /** Outgoing bytes. */
    public long outBytes() {
        return outBytes;
    }

    /** Connections per second, as {@code ipvsadm --rate} shows it. */
    public long cps() {
        return (cpsAvg + 0x1FF) >> 10;
    }

    /** Incoming packets per second. */
    public long inPps() {
        return (inPpsAvg + 0x1FF) >> 10;
    }

    /** Outgoing packets per second. */
    public long outPps() {
        return (outPpsAvg + 0x1FF) >> 10;
    }

    /** Incoming bytes per second. */
    public long inBps() {
        return (inBpsAvg + 0xF) >> 5;
    }

    /** Outgoing bytes per second. */
    public long outBps() {
        return (outBpsAvg + 0xF) >> 5;
    }

    /** Adds another set of counters into this one (aggregating shards). */
    public void addCounters(Stats o) {
        conns += o.conns;
        inPkts += o.inPkts;
        outPkts += o.outPkts;
        inBytes += o.inBytes;
        outBytes += o.outBytes;
        cpsAvg += o.cpsAvg;
        inPpsAvg += o.inPpsAvg;
        outPpsAvg += o.outPpsAvg;
        inBpsAvg += o.inBpsAvg;
        outBpsAvg += o.outBpsAvg;
    }

    /**
     * {@code ipvsadm -Z}: counters to zero; the estimator keeps running from zero with its averages
     * reset, as the kernel does.
     */
    public void zero() {
        conns = 0;
        inPkts = 0;
        outPkts = 0;
        inBytes = 0;
        outBytes = 0;
        lastConns = 0;
        lastInPkts = 0;
        lastOutPkts = 0;
        lastInBytes = 0;
        lastOutBytes = 0;
        cpsAvg = 0;
        inPpsAvg = 0;
        outPpsAvg = 0;
        inBpsAvg = 0;
        outBpsAvg = 0;
    }
}
