package uvs.net.dataplane;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import uvs.core.net.IpAddress;

/**
 * Addresses this director answers ARP requests and neighbour solicitations for (VRRP-style deployments:
 * a VIP on the director's LAN, or the NAT gateway address of the real servers). Only the active director
 * announces; taking an address over sends gratuitous ARP / unsolicited NA so neighbours switch at once.
 * Changed on the worker's thread only.
 */
public final class AnnouncedAddresses {
    /** Gratuitous announcements sent after taking an address over (then one a minute). */
    public static final int BURST = 3;
    /** Spacing of the first announcements. */
    public static final long BURST_GAP_NANOS = 1_000_000_000L;
    /** Spacing of later announcements. */
    public static final long REFRESH_NANOS = 60_000_000_000L;

    private int[] af = new int[0];
    private long[] hi = new long[0];
    private long[] lo = new long[0];
    private long[] due = new long[0];
    private int[] sent = new int[0];

    /** Starts announcing {@code a}; true if it was new. The first gratuitous announcement is due at once. */
    public boolean add(IpAddress a) {
        if (indexOf(a.af(), a.hi(), a.lo()) >= 0) {
            return false;
        }
        int n = af.length;
        af = Arrays.copyOf(af, n + 1);
        hi = Arrays.copyOf(hi, n + 1);
        lo = Arrays.copyOf(lo, n + 1);
        due = Arrays.copyOf(due, n + 1);
        sent = Arrays.copyOf(sent, n + 1);
        af[n] = a.af();
        hi[n] = a.hi();
        lo[n] = a.lo();
        due[n] = Long.MIN_VALUE;
        return true;
    }

    /** Stops announcing {@code a}; true if it was announced. */
    public boolean remove(IpAddress a) {
        int i = indexOf(a.af(), a.hi(), a.lo());
        if (i < 0) {
            return false;
        }
        int last = af.length - 1;
        af[i] = af[last];
        hi[i] = hi[last];
        lo[i] = lo[last];
        due[i] = due[last];
        sent[i] = sent[last];
        af = Arrays.copyOf(af, last);
        hi = Arrays.copyOf(hi, last);
        lo = Arrays.copyOf(lo, last);
        due = Arrays.copyOf(due, last);
        sent = Arrays.copyOf(sent, last);
        return true;
    }

    /** True if ARP/ND for this address is answered here. Allocation-free. */
    public boolean contains(int family, long addrHi, long addrLo) {
        return indexOf(family, addrHi, addrLo) >= 0;
    }

    /** How many addresses are announced. */
    public int size() {
        return af.length;
    }

    /** Family of entry {@code i}. */
    public int af(int i) {
        return af[i];
    }

    /** High half of entry {@code i}. */
    public long hi(int i) {
        return hi[i];
    }

    /** Low half of entry {@code i}. */
    public long lo(int i) {
        return lo[i];
    }

    /** True when entry {@code i} should be announced now; records the announcement. */
    public boolean announceDue(int i, long now) {
        if (due[i] != Long.MIN_VALUE && now - due[i] < 0) {
            return false;
        }
        sent[i]++;
        due[i] = now + (sent[i] < BURST ? BURST_GAP_NANOS : REFRESH_NANOS);
        return true;
    }

    /** The announced addresses, for listings. */
    public List<IpAddress> list() {
        List<IpAddress> out = new ArrayList<>(af.length);
        for (int i = 0; i < af.length; i++) {
            out.add(new IpAddress(af[i], hi[i], lo[i]));
        }
        return out;
    }

    private int indexOf(int family, long addrHi, long addrLo) {
        for (int i = 0; i < af.length; i++) {
            if (af[i] == family && hi[i] == addrHi && lo[i] == addrLo) {
                return i;
            }
        }
        return -1;
    }
}
