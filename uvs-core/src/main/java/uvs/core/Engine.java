package uvs.core;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import uvs.core.conn.ConnTable;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.proto.ProtocolTimeouts;
import uvs.core.sched.Scheduler;
import uvs.core.sched.SchedulerContext;
import uvs.core.sched.SchedulerRegistry;
import uvs.core.stats.Stats;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.VirtualService;
import uvs.core.tune.SysctlFile;
import uvs.core.tune.Tunables;
import uvs.time.NanoClock;

/**
 * One director's engine: virtual services and real servers (ipvsadm's operations), the connection
 * tables, and the packet path of the kernel's ip_vs_core.c. A facade over parts that each own one job:
 * {@link PacketPath} (ip_vs_core.c), {@link SyncApply} (a backup's ip_vs_proc_conn), {@link ServiceControl}
 * (ip_vs_ctl.c) and {@link Housekeeping} (timers); {@link Connections} is the only writer of the connection
 * tables (ip_vs_conn.c). Single writer: every method runs on the engine's owner thread (a data-plane worker,
 * or the one thread of a test or the simulator), so a packet never sees half a configuration change. Other
 * threads talk to it through that thread's command queue.
 */
public final class Engine {
    private final EngineConfig config;
    private final Tunables tunables;
    private final ProtocolTimeouts timeouts = new ProtocolTimeouts();
    private final ConnTable conns4;
    private final ConnTable conns6;
    private final ServiceTable services = new ServiceTable();
    private final DestRegistry dests = new DestRegistry();
    private final RealServiceIndex realServices = new RealServiceIndex();
    private final Stats total = new Stats();
    private final EngineCounters counters = new EngineCounters();
    /** The only writer of the connection tables. */
    private final Connections conns;
    private final PacketPath packets;
    private final SyncApply sync;
    private final ServiceControl control;
    private final Housekeeping housekeeping;
    private long destChanges;

    /** An engine with its own tunables and the default scheduler registry. */
    public Engine(NanoClock clock, EngineConfig config) {
        this(clock, config, new Tunables(), SchedulerRegistry.defaultRegistry());
    }

    /** An engine with the given tunables and scheduler registry. */
    public Engine(NanoClock clock, EngineConfig config, Tunables tunables, SchedulerRegistry schedulers) {
        this.config = config;
        this.tunables = tunables;
        this.conns4 = new ConnTable(Af.INET, config.connCapacity(), config.hashSeed());
        this.conns6 = new ConnTable(Af.INET6, config.connCapacity6(), config.hashSeed() ^ 0x6L);
        this.conns = new Connections(clock, conns4, conns6, dests, tunables, timeouts, total, counters);
        Persistence persistence = new Persistence(conns, tunables, counters);
        Defense defense = new Defense(tunables, conns4, conns6);
        // one random stream for the schedulers and the defense's random drops, as the kernel has one
        RandomGenerator random = new SplittableRandom(config.randomSeed());
        SchedulerContext schedCtx = new SchedulerContext() {
            @Override
            public int nowJiffies() {
                return conns.now();
            }

            @Override
            public RandomGenerator random() {
                return random;
            }

            @Override
            public int lblcExpirationJiffies() {
                return tunables.lblcExpirationJiffies();
            }

            @Override
            public int lblcrExpirationJiffies() {
                return tunables.lblcrExpirationJiffies();
            }
        };
        conns.tick();
        this.packets = new PacketPath(conns, conns4, conns6, services, realServices, persistence, defense, tunables,
            total, counters);
        this.sync = new SyncApply(conns, conns4, conns6, services, tunables, counters);
        this.control = new ServiceControl(conns, services, dests, realServices, defense, tunables, timeouts, total,
            schedulers, schedCtx);
        this.housekeeping = new Housekeeping(conns, conns4, conns6, services, dests, defense, tunables, total, random);
    }

    // ---------------------------------------------------------------- packet path (PacketPath)

    /**
     * Decides what to do with one packet and updates the connection it belongs to. Allocation-free in
     * steady state.
     */
    public Decision process(PacketHeader p, Decision d) {
        return packets.process(p, d);
    }

    /**
     * Processes a batch of packets: first touches every packet's hash bucket and connection entry so that
     * their cache misses overlap, then runs {@link #process} on each with one reading of the clock for
     * the whole burst. Same results as calling {@link #process} in order at one instant.
     */
    public void process(PacketHeader[] pkts, Decision[] out, int n) {
        packets.process(pkts, out, n);
    }

    /** {@link #foldOffloaded}: the packets are folded in. */
    public static final int FOLDED = 0;
    /** {@link #foldOffloaded}: nothing changed; the real server is gone or quiescent-unavailable: remove the flow. */
    public static final int FOLD_DEST_UNAVAILABLE = 1;
    /** {@link #foldOffloaded}: nothing changed; a template, one-packet or non-TCP/UDP entry, or negative counts. */
    public static final int FOLD_REFUSED = 2;

    /**
     * Folds the packets the XDP fast path forwarded for an offloaded connection ({@code inPkts}/{@code inBytes}
     * client → server, {@code outPkts}/{@code outBytes} NAT replies, since the last fold; the last of them at
     * {@code lastSeenNanos} on the engine's clock) into the engine exactly as processing them here would have:
     * real server, service and total statistics, the state machine's timeout reload (and NOOUTPUT cleared by a
     * reply), in_pkts with the sync master's per-packet decision, and the timer from the last packet. Only
     * packets that cannot change state are offloaded (no SYN, FIN or RST), so the state stays. Returns
     * {@link #FOLDED}, {@link #FOLD_DEST_UNAVAILABLE} (the caller removes the flow from the fast path so that its
     * next packet meets expire_nodest_conn or the drop here) or {@link #FOLD_REFUSED}. Allocation-free; the
     * engine's owner thread only.
     */
    public int foldOffloaded(ConnTable t, int conn, long inPkts, long inBytes, long outPkts, long outBytes,
                             long lastSeenNanos) {
        return packets.fold(t, conn, inPkts, inBytes, outPkts, outBytes, lastSeenNanos);
    }

    /**
     * An ICMP error (destination unreachable, source quench, time exceeded) about a connection
     * (ip_vs_in_icmp / ip_vs_out_icmp). {@code embedded} is the packet quoted inside the error, as it was
     * sent. With {@code direction} INPUT the error came from the client side about a packet the director
     * sent to the client: the answer is {@link Verdict#FORWARD} toward that connection's real server. With
     * OUTPUT it came from a real server about a packet of a NAT connection: the answer is
     * {@link Verdict#FORWARD_REPLY} (translate back to the virtual address). Errors about no known
     * connection are not ours, unless schedule_icmp lets an inbound one create its connection.
     */
    public Decision processIcmpError(PacketHeader embedded, int direction, Decision d) {
        return packets.processIcmpError(embedded, direction, d);
    }

    // ---------------------------------------------------------------- sync backup (SyncApply)

    /**
     * Applies one entry received from a sync master (spec §3): creates or refreshes the connection or
     * template with the SYNC flag, binds it to the local real server when there is one (taking the
     * local forwarding method, keeping the message's INACTIVE bit), and re-arms it for receive time +
     * timeout, or for receive time + the master's time left when a UVS master sent it. Templates and
     * connections are not linked on a backup.
     */
    public SyncUpdate.Result applySync(SyncUpdate u) {
        return sync.applySync(u);
    }

    // ---------------------------------------------------------------- housekeeping (Housekeeping)

    /**
     * Runs timers: connection expiry, the 2 s rate estimator, once-a-second defense levels, scheduler
     * housekeeping and the real-server trash. Returns the amount of work done (0 = idle).
     */
    public int doWork() {
        return housekeeping.doWork();
    }

    /**
     * {@link #doWork()} expiring at most {@code expireLimit} entries per table, for a caller that runs other
     * work in between (a simulator running the sync threads, which a burst of expiries feeds).
     */
    public int doWork(int expireLimit) {
        return housekeeping.doWork(expireLimit);
    }

    // ---------------------------------------------------------------- control (ServiceControl)

    /** {@code ipvsadm -A}. */
    public VirtualService addService(ServiceKey key, ServiceConfig cfg) {
        return control.addService(key, cfg);
    }

    /** {@code ipvsadm -E}: scheduler, flags, timeout, netmask and PE replaced by {@code cfg}. */
    public VirtualService editService(ServiceKey key, ServiceConfig cfg) {
        return control.editService(key, cfg);
    }

    /** {@code ipvsadm -D}. */
    public void deleteService(ServiceKey key) {
        control.deleteService(key);
        destChanges++;
    }

    /** {@code ipvsadm -C}. */
    public void clear() {
        control.clear();
        destChanges++;
    }

    /** {@code ipvsadm -a}: a new (or revived) real server goes to the head of the list. */
    public RealServer addDest(ServiceKey key, IpAddress addr, int port, RealServerConfig cfg) {
        return control.addDest(key, addr, port, cfg);
    }

    /** {@code ipvsadm -e}. */
    public RealServer editDest(ServiceKey key, IpAddress addr, int port, RealServerConfig cfg) {
        destChanges++;
        return control.editDest(key, addr, port, cfg);
    }

    /** {@code ipvsadm -d}: the server goes to the trash while connections refer to it. */
    public void deleteDest(ServiceKey key, IpAddress addr, int port) {
        destChanges++;
        control.deleteDest(key, addr, port);
    }

    /**
     * How many times real servers were edited or deleted (with their service, or all by a clear): a data plane
     * that forwards connections itself (the XDP fast path) re-checks their real servers when this moves.
     */
    public long destChanges() {
        return destChanges;
    }

    /** {@code ipvsadm -Z [service]}: zero statistics of one service or of everything. */
    public void zero(ServiceKey key) {
        control.zero(key);
    }

    /** {@code ipvsadm --set tcp tcpfin udp} (seconds, 0 = unchanged). */
    public void setTimeouts(int tcp, int tcpfin, int udp) {
        control.setTimeouts(tcp, tcpfin, udp);
    }

    /** Sets a tunable by its sysctl name; defense modes take effect at once, as in the kernel. */
    public void setTunable(String name, String value) {
        control.setTunable(name, value);
    }

    /**
     * Applies a sysctl file's entries atomically (all or nothing, errors with file:line); returns the
     * problems of skipped {@code -} lines.
     */
    public List<String> applySysctl(List<SysctlFile.Entry> entries) {
        return control.applySysctl(entries);
    }

    /**
     * Finishes what the control changes since the last call left for later ({@link Scheduler#settle}); the
     * engine's owner calls it after a batch of control work, before the next packet.
     */
    public void settleSchedulers() {
        control.settleSchedulers();
    }

    // ---------------------------------------------------------------- views

    /** Services in kernel order (order of addition). */
    public List<VirtualService> services() {
        return List.copyOf(services.all());
    }

    /** The service with this key, or null. */
    public VirtualService service(ServiceKey key) {
        return services.get(key);
    }

    /** The real server of a connection entry, or null. */
    public RealServer destOf(ConnTable t, int conn) {
        return conns.destOf(t, conn);
    }

    /**
     * Copies a template's PE data (e.g. the SIP Call-ID) into {@code out} (≥ 255 bytes); returns its
     * length, 0 when it has none.
     */
    public int peData(ConnTable t, int conn, byte[] out) {
        return conns.peData(t).get(conn, out);
    }

    /** The persistence engine name of an entry's service, or null. */
    public String peName(ConnTable t, int conn) {
        RealServer d = conns.destOf(t, conn);
        return d == null || d.service().persistenceEngine() == null ? null : d.service().persistenceEngine().name();
    }

    /** Deleted real servers still referenced by connections. */
    public List<RealServer> trashedDests() {
        return dests.trashed();
    }

    /**
     * True if {@code <protocol, address, port>} is a NAT real server of some service: the data plane treats
     * such packets as replies to translate back ({@link PacketHeader#DIR_OUTPUT}). Allocation-free.
     */
    public boolean isNatRealServer(int af, int protocol, long hi, long lo, int port) {
        return realServices.has(af, protocol, hi, lo, port);
    }

    /** IPv4 connection table. */
    public ConnTable conns4() {
        return conns4;
    }

    /** IPv6 connection table. */
    public ConnTable conns6() {
        return conns6;
    }

    /** Engine-wide statistics. */
    public Stats totalStats() {
        return total;
    }

    /** Event counters. */
    public EngineCounters counters() {
        return counters;
    }

    /** Live tunables (change them through {@link #setTunable}). */
    public Tunables tunables() {
        return tunables;
    }

    /** Protocol timeouts. */
    public ProtocolTimeouts timeouts() {
        return timeouts;
    }

    /** Sizing. */
    public EngineConfig config() {
        return config;
    }

    /** Engine time in jiffies as of the last call. */
    public int nowJiffies() {
        return conns.now();
    }

    /** Tells the engine whether a sync backup daemon runs (for backup_only). */
    public void backupRunning(boolean running) {
        packets.backupRunning(running);
    }

    /** Installs (or, with null, removes) the sync master's hook. */
    public void syncHook(SyncHook hook) {
        conns.syncHook(hook);
    }

    /**
     * Installs (or, with null, removes) the hook told of every connection entry the engine removes, just before
     * its slot is reused. One hook: the owner thread's data-plane worker.
     */
    public void connectionRemovalHook(ConnectionRemovalHook hook) {
        conns.removalHook(hook);
    }

    /** Forcibly deletes one entry, as a flush does (tests, control plane). */
    public void deleteConn(ConnTable t, int conn) {
        conns.tick();
        conns.delete(t, conn);
    }

    /** Deletes every connection entry. */
    public void flushConnections() {
        conns.tick();
        conns.flushAll();
    }
}
