package uvs.core.sched;

import java.util.Arrays;
import uvs.core.svc.RealServer;

/**
 * The set of dests an lblcr cache entry replicates to ({@code ip_vs_dest_set}): newest member first,
 * with the time it last changed. Members are stored oldest first, so iteration runs backwards.
 */
final class DestSet {
    private RealServer[] members = new RealServer[4];
    private int size;
    private int lastmod;

    /** Number of members. */
    int size() {
        return size;
    }

    /** Jiffies of the last insert or erase. */
    int lastmod() {
        return lastmod;
    }

    /** The member at {@code i} counting from the newest (0), for tests and diagnostics. */
    RealServer member(int i) {
        return members[size - 1 - i];
    }

    /** Adds {@code dest} as the newest member unless {@code check} finds it already there. */
    void insert(RealServer dest, boolean check, int now) {
        if (check) {
            for (int i = 0; i < size; i++) {
                if (members[i] == dest) {
                    return;
                }
            }
        }
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
        }
        members[size++] = dest;
        lastmod = now;
    }

    /** Removes {@code dest} if it is a member. */
    void erase(RealServer dest, int now) {
        for (int i = size - 1; i >= 0; i--) {
            if (members[i] == dest) {
                System.arraycopy(members, i + 1, members, i, size - i - 1);
                members[--size] = null;
                lastmod = now;
                return;
            }
        }
    }

    /**
     * The weighted least-connection member: the first non-OVERLOADed, AVAILABLE member with weight &gt; 0
     * starts, later non-OVERLOADed AVAILABLE members replace it when less loaded; null if none qualifies.
     */
    RealServer min() {
        int i = size - 1;
        RealServer least = null;
        for (; i >= 0; i--) {
            RealServer d = members[i];
            if (!d.isOverloaded() && d.weight() > 0 && d.isAvailable()) {
                least = d;
                break;
            }
        }
        if (least == null) {
            return null;
        }
        int loh = least.overhead();
        for (i--; i >= 0; i--) {
            RealServer d = members[i];
            if (d.isOverloaded()) {
                continue;
            }
            int doh = d.overhead();
            if ((long) loh * d.weight() > (long) doh * least.weight() && d.isAvailable()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }

    /** The weighted most-loaded member with weight &gt; 0 (OVERLOAD and availability not considered), or null. */
    RealServer max() {
        int i = size - 1;
        RealServer most = null;
        for (; i >= 0; i--) {
            if (members[i].weight() > 0) {
                most = members[i];
                break;
            }
        }
        if (most == null) {
            return null;
        }
        int moh = most.overhead();
        for (i--; i >= 0; i--) {
            RealServer d = members[i];
            int doh = d.overhead();
            if ((long) moh * d.weight() < (long) doh * most.weight() && d.weight() > 0) {
                most = d;
                moh = doh;
            }
        }
        return most;
    }
}
