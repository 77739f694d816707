package uvs.core.svc;

import java.util.Arrays;
import org.agrona.collections.Long2ObjectHashMap;
import uvs.core.net.IpAddress;
import uvs.core.persist.PersistenceEngine;
import uvs.core.sched.Scheduler;
import uvs.core.stats.Stats;

/**
 * A virtual service: its key, configuration, scheduler instance, statistics and real-server list.
 * The list is kept oldest first in a growing array, so adding a server costs O(1), and is shown in kernel
 * list order (most recently added first) through {@link #dests()}, an array made again only after a
 * change. Servers are also indexed by address and port, so finding one costs O(1), not a list scan: a
 * service of 40 000 real servers loads in well under a second (docs/uvsd.md).
 */
public final class VirtualService {
    private static final RealServer[] NONE = new RealServer[0];

    private final ServiceKey key;
    private final Stats stats = new Stats();
    private ServiceConfig config;
    private Scheduler scheduler;
    private PersistenceEngine pe;
    /** Oldest first; {@code count} used. */
    private RealServer[] added = NONE;
    private int count;
    /** {@link #added} in list order (newest first), or null until asked for after a change. */
    private RealServer[] listed = NONE;
    /** address:port digest to server; a server whose digest another holds is found by a scan. */
    private final Long2ObjectHashMap<RealServer> index =
        new Long2ObjectHashMap<>();
    private int unindexed;
    private int id = -1;

    /** A service with no real servers; the engine sets config and scheduler before use. */
    public VirtualService(ServiceKey key, ServiceConfig config) {
        this.key = key;
        this.config = config;
    }

    /** Identity. */
    public ServiceKey key() {
        return key;
    }

    /** Engine-wide id (-1 until registered). */
    public int id() {
        return id;
    }

    /** Sets the engine-wide id (engine use). */
    public void id(int id) {
        this.id = id;
    }

    /** Current configuration. */
    public ServiceConfig config() {
        return config;
    }

    /** Replaces the configuration (engine use: {@code -E}). */
    public void config(ServiceConfig cfg) {
        this.config = cfg;
    }

    /** {@link ServiceFlags} bits. */
    public int flags() {
        return config.flags();
    }

    /** The scheduler instance of this service. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Installs a scheduler instance (engine use). */
    public void scheduler(Scheduler s) {
        this.scheduler = s;
    }

    /** The persistence engine, or null. */
    public PersistenceEngine persistenceEngine() {
        return pe;
    }

    /** Installs the persistence engine (engine use). */
    public void persistenceEngine(PersistenceEngine engine) {
        this.pe = engine;
    }

    /** Real servers in list order (newest first). Do not modify the array. */
    public RealServer[] dests() {
        RealServer[] l = listed;
        if (l == null) {
            l = new RealServer[count];
            for (int i = 0; i < count; i++) {
                l[i] = added[count - 1 - i];
            }
            listed = l;
        }
        return l;
    }

    /** Number of real servers. */
    public int destCount() {
        return count;
    }

    /** Inserts {@code d} at the head of the list, as the kernel does. */
    public void addDestAtHead(RealServer d) {
        if (count == added.length) {
            added = Arrays.copyOf(added, Math.max(4, count * 2));
        }
        added[count++] = d;
        listed = null;
        RealServer had = index.putIfAbsent(key(d.address().hi(), d.address().lo(), d.port()), d);
        if (had != null) {
            unindexed++;
        }
    }

    /** Removes {@code d} from the list; returns its former index or -1. */
    public int removeDest(RealServer d) {
        for (int i = count - 1; i >= 0; i--) {
            if (added[i] == d) {
                System.arraycopy(added, i + 1, added, i, count - i - 1);
                added[--count] = null;
                listed = null;
                long k = key(d.address().hi(), d.address().lo(), d.port());
                if (index.get(k) == d) {
                    index.remove(k);
                }
                return count - i;
            }
        }
        return -1;
    }

    /** Replaces the whole list (tests of schedulers). */
    public void setDests(RealServer... list) {
        added = new RealServer[list.length];
        count = 0;
        index.clear();
        unindexed = 0;
        for (int i = list.length - 1; i >= 0; i--) {
            addDestAtHead(list[i]);
        }
    }

    /** The real server with this address and port, or null. */
    public RealServer findDest(IpAddress addr, int port) {
        return findDest(addr.hi(), addr.lo(), port);
    }

    /** The real server with this address (as two longs, as packets carry it) and port, or null. */
    public RealServer findDest(long hi, long lo, int port) {
        RealServer d = index.get(key(hi, lo, port));
        if (d != null && matches(d, hi, lo, port)) {
            return d;
        }
        if (unindexed == 0) {
            return null;
        }
        for (int i = 0; i < count; i++) {
            if (matches(added[i], hi, lo, port)) {
                return added[i];
            }
        }
        return null;
    }

    private static boolean matches(RealServer d, long hi, long lo, int port) {
        return d.port() == port && d.address().hi() == hi && d.address().lo() == lo;
    }

    /** A 64-bit digest of address and port (exact for IPv4, where hi is 0). */
    private static long key(long hi, long lo, int port) {
        if (hi == 0 && (lo >>> 32) == 0) {
            return lo << 16 | port;
        }
        long h = (hi * 0x9E37_79B9_7F4A_7C15L ^ lo) * 0xBF58_476D_1CE4_E5B9L;
        return (h ^ h >>> 29) ^ port | Long.MIN_VALUE;
    }

    /** Statistics. */
    public Stats stats() {
        return stats;
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
