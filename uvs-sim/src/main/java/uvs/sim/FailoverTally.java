package uvs.sim;

/**
 * What happened to the flows and persistent clients when traffic moved, per move: {@link #FAILOVER} (A failed)
 * and {@link #RETURN} (traffic went back to A after its return).
 */
final class FailoverTally {
    static final int FAILOVER = 0;
    static final int RETURN = 1;

    /** Established flows that moved. */
    final long[] flowsAt = new long[2];
    /** Of those, the ones that sent another packet, and the ones that kept their real server. */
    final long[] flowsChecked = new long[2];
    final long[] flowsContinued = new long[2];
    /** Persistent clients with a template on the director traffic left. */
    final long[] persistAt = new long[2];
    /** Of those, the ones that came back while the template would still have lived, and those that kept it. */
    final long[] persistChecked = new long[2];
    final long[] persistKept = new long[2];
    /** ECMP with more than two directors: established flows of the survivors at A's failure (they stay). */
    long flowsStaying;
}
