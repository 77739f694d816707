package uvs.net.dataplane;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import uvs.core.net.Af;

/**
 * The data plane's own ARP/ND cache: next-hop address → MAC, learned from ARP and neighbour advertisements
 * seen on the interface and from the answers to its own requests. Open addressing over flat arrays with a
 * fixed capacity; entries are never removed, only refreshed (a director talks to a handful of next hops:
 * real servers and routers). One writer (the first worker); other workers of the same interface read it
 * without locks: an entry's address is published before its family, and MACs are single 64-bit stores.
 */
public final class NeighbourTable {
    /** Returned by {@link #mac} when the address is not resolved. */
    public static final long NONE = -1L;
    /** Default number of entries. */
    public static final int DEFAULT_CAPACITY = 4096;
    /** How often an unanswered request is repeated (the kernel's retrans_time, 1 s). */
    public static final long RETRANSMIT_NANOS = 1_000_000_000L;
    /** After this long without a confirmation a used entry is re-requested (the kernel's reachable time, 30 s). */
    public static final long REACHABLE_NANOS = 30_000_000_000L;

    private static final VarHandle FAMILY = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final VarHandle MAC = MethodHandles.arrayElementVarHandle(long[].class);

    private final int mask;
    private final byte[] family;
    private final long[] hi;
    private final long[] lo;
    private final long[] mac;
    private final long[] confirmed;
    private final long[] requested;
    private int size;
    private long refused;

    /** A table of {@code capacity} entries (rounded up to a power of two). */
    public NeighbourTable(int capacity) {
        if (capacity < 1 || capacity > 1 << 24) {
            throw new IllegalArgumentException("neighbour table capacity must be 1.." + (1 << 24) + ", got " + capacity);
        }
        int n = Integer.highestOneBit(capacity * 2 - 1) << 1;
        mask = n - 1;
        family = new byte[n];
        hi = new long[n];
        lo = new long[n];
        mac = new long[n];
        confirmed = new long[n];
        requested = new long[n];
        Arrays.fill(mac, NONE);
    }

    /** The MAC of a neighbour, or {@link #NONE}. */
    public long mac(int af, long addrHi, long addrLo) {
        int i = find(af, addrHi, addrLo);
        return i < 0 ? NONE : (long) MAC.getOpaque(mac, i);
    }

    /**
     * Records a MAC heard for an address at {@code now}. With {@code create} false only an address already
     * in the table is updated (broadcast ARP requests of the whole LAN should not fill it).
     */
    public void learn(int af, long addrHi, long addrLo, long hwaddr, long now, boolean create) {
        int i = create ? slot(af, addrHi, addrLo) : find(af, addrHi, addrLo);
        if (i >= 0) {
            MAC.setOpaque(mac, i, hwaddr);
            confirmed[i] = now;
        }
    }

    /**
     * Marks a known neighbour unconfirmed (the kernel dropped its entry): its MAC stays in use and it is asked
     * for again at the next {@link #shouldRequest}.
     */
    public void stale(int af, long addrHi, long addrLo) {
        int i = find(af, addrHi, addrLo);
        if (i >= 0) {
            confirmed[i] = Long.MIN_VALUE / 2;
            requested[i] = 0;
        }
    }

    /**
     * True when the caller should send an ARP request / neighbour solicitation for this address now: it is
     * unresolved and was not asked for in the last second, or resolved but unconfirmed for 30 s. Creates the
     * entry; false (and counted) when the table is full.
     */
    public boolean shouldRequest(int af, long addrHi, long addrLo, long now) {
        int i = slot(af, addrHi, addrLo);
        if (i < 0) {
            return false;
        }
        boolean stale = mac[i] == NONE || now - confirmed[i] >= REACHABLE_NANOS;
        if (stale && (requested[i] == 0 || now - requested[i] >= RETRANSMIT_NANOS)) {
            requested[i] = now == 0 ? 1 : now;
            return true;
        }
        return false;
    }

    /** Entries in use. */
    public int size() {
        return size;
    }

    /** New addresses refused because the table was full. */
    public long refused() {
        return refused;
    }

    private int find(int af, long addrHi, long addrLo) {
        for (int i = hash(af, addrHi, addrLo) & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            byte f = (byte) FAMILY.getAcquire(family, i);
            if (f == 0) {
                return -1;
            }
            if (f == af && hi[i] == addrHi && lo[i] == addrLo) {
                return i;
            }
        }
        return -1;
    }

    private int slot(int af, long addrHi, long addrLo) {
        for (int i = hash(af, addrHi, addrLo) & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            if (family[i] == 0) {
                // keep the table at most half full so probes stay short
                if (size * 2 >= mask + 1) {
                    refused++;
                    return -1;
                }
                hi[i] = addrHi;
                lo[i] = addrLo;
                FAMILY.setRelease(family, i, (byte) af);
                size++;
                return i;
            }
            if (family[i] == af && hi[i] == addrHi && lo[i] == addrLo) {
                return i;
            }
        }
        refused++;
        return -1;
    }

    private static int hash(int af, long addrHi, long addrLo) {
        long h = (addrHi * 0x9E3779B97F4A7C15L) ^ addrLo ^ (af == Af.INET6 ? 0x5bd1e995L : 0);
        h *= 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 29));
    }
}
