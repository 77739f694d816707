package uvs.sim;

/**
 * ECMP: at the first real-server change, how many established flows a director without their state would send
 * to another real server — all of them, and those whose real server was untouched by the change.
 */
final class RemapTally {
    /** Flows probed, -1 = not probed yet. */
    long flows = -1;
    long moved;
    long untouched;
    long untouchedMoved;
}
