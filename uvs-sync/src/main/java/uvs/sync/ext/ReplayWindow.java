package uvs.sync.ext;

/**
 * Replay protection for one sender (as IPsec's anti-replay window): sequence numbers above the highest
 * seen are accepted and slide the window; numbers within the last 64 are accepted once; older ones and
 * repeats are refused.
 */
public final class ReplayWindow {
    /** Width of the window. */
    public static final int WIDTH = 64;

    private long highest = -1;
    private long seen;

    /** True (and recorded) if {@code seq} is new; false for a replay or a number too old to judge. */
    public boolean accept(long seq) {
        if (seq < 0) {
            return false;
        }
        if (highest < 0 || seq > highest) {
            long shift = highest < 0 ? WIDTH : seq - highest;
            seen = shift >= WIDTH ? 1L : (seen << shift) | 1L;
            highest = seq;
            return true;
        }
        long age = highest - seq;
        if (age >= WIDTH) {
            return false;
        }
        long bit = 1L << age;
        if ((seen & bit) != 0) {
            return false;
        }
        seen |= bit;
        return true;
    }

    /** Highest sequence number accepted, or -1. */
    public long highest() {
        return highest;
    }

    /** Forgets everything (the sender restarted with a new id). */
    public void reset() {
        highest = -1;
        seen = 0;
    }
}
