package uvs.core.svc;

import java.util.Arrays;
import uvs.core.sched.Scheduler;
import uvs.core.stats.Stats;

/**
 * A virtual service: its key, configuration, scheduler instance, statistics and real-server list.
 * The list is an array in kernel list order (most recently added first) replaced copy-on-write, so a
 * scheduler iterating it never sees a half-made change.
 */
public final class VirtualService {
    private static final RealServer[] NONE = new RealServer[0];

    private final ServiceKey key;
    private final Stats stats = new Stats();
    private ServiceConfig config;
    private Scheduler scheduler;
    private uvs.core.persist.PersistenceEngine pe;
    private RealServer[] dests = NONE;
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
    public uvs.core.persist.PersistenceEngine persistenceEngine() {
        return pe;
    }

    /** Installs the persistence engine (engine use). */
    public void persistenceEngine(uvs.core.persist.PersistenceEngine engine) {
        this.pe = engine;
    }

    /** Real servers in list order (newest first). Do not modify the array. */
    public RealServer[] dests() {
        return dests;
    }

    /** Number of real servers. */
    public int destCount() {
        return dests.length;
    }

    /** Inserts {@code d} at the head of the list, as the kernel does. */
    public void addDestAtHead(RealServer d) {
        RealServer[] n = new RealServer[dests.length + 1];
        n[0] = d;
        System.arraycopy(dests, 0, n, 1, dests.length);
        dests = n;
    }

    /** Removes {@code d} from the list; returns its former index or -1. */
    public int removeDest(RealServer d) {
        for (int i = 0; i < dests.length; i++) {
            if (dests[i] == d) {
                RealServer[] n = Arrays.copyOf(dests, dests.length - 1);
                System.arraycopy(dests, i + 1, n, i, dests.length - i - 1);
                dests = n;
                return i;
            }
        }
        return -1;
    }

    /** Replaces the whole list (tests of schedulers). */
    public void setDests(RealServer... list) {
        this.dests = list.clone();
    }

    /** The real server with this address and port, or null. */
    public RealServer findDest(uvs.core.net.IpAddress addr, int port) {
        return findDest(addr.hi(), addr.lo(), port);
    }

    /** The real server with this address (as two longs, as packets carry it) and port, or null. */
    public RealServer findDest(long hi, long lo, int port) {
        for (RealServer d : dests) {
            if (d.port() == port && d.address().hi() == hi && d.address().lo() == lo) {
                return d;
            }
        }
        return null;
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
