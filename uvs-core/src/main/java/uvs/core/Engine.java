package uvs.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.persist.PeDataStore;
import uvs.core.persist.PersistenceEngines;
import uvs.core.proto.ConnDirection;
import uvs.core.proto.ProtocolHandler;
import uvs.core.proto.ProtocolTimeouts;
import uvs.core.proto.Protocols;
import uvs.core.proto.SctpChunkType;
import uvs.core.proto.SctpState;
import uvs.core.proto.TcpState;
import uvs.core.sched.Scheduler;
import uvs.core.sched.SchedulerContext;
import uvs.core.sched.SchedulerRegistry;
import uvs.core.stats.RateEstimator;
import uvs.core.stats.Stats;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceFlags;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.TunnelType;
import uvs.core.svc.VirtualService;
import uvs.core.tune.SysctlFile;
import uvs.core.tune.Tunables;
import uvs.time.Jiffies;
import uvs.time.NanoClock;

/**
 * One director's engine: virtual services and real servers (ipvsadm's operations), the connection
 * tables, and the packet path of the kernel's ip_vs_core.c. Single writer: every method runs on the
 * engine's owner thread (a data-plane worker, or the one thread of a test or the simulator), so a packet
 * never sees half a configuration change. Other threads talk to it through that thread's command queue.
 */
public final class Engine {
    private static final int EXPIRE_LIMIT = 1 << 16;
    /** Longest timeout a synced entry may carry: a quarter of the 32-bit jiffies range (about 49 days). */
    private static final long MAX_SYNC_TIMEOUT_SECONDS = (Integer.MAX_VALUE / 2) / Jiffies.HZ;

    private final NanoClock clock;
    private final EngineConfig config;
    private final Tunables tunables;
    private final ProtocolTimeouts timeouts = new ProtocolTimeouts();
    private final SchedulerRegistry schedulers;
    private final SchedulerContext schedCtx;
    private final ConnTable conns4;
    private final ConnTable conns6;
    private final ServiceTable services = new ServiceTable();
    private final DestRegistry dests = new DestRegistry();
    private final RealServiceIndex realServices = new RealServiceIndex();
    private final Stats total = new Stats();
    private final EngineCounters counters = new EngineCounters();
    private final Connections conns;
    private final Persistence persistence;
    private final Defense defense;
    private final RandomGenerator random;
    private final PacketHeader icmpScratch = new PacketHeader();
    // keeps the batch prefetch loads observable to the JIT
    private int prefetchSink;
    private int[] burstHeads = new int[64];
    private boolean backupRunning;
    private int lastEstimate;
    private int lastSecond;

    /** An engine with its own tunables and the default scheduler registry. */
    public Engine(NanoClock clock, EngineConfig config) {
        this(clock, config, new Tunables(), SchedulerRegistry.defaultRegistry());
    }

    /** An engine with the given tunables and scheduler registry. */
    public Engine(NanoClock clock, EngineConfig config, Tunables tunables, SchedulerRegistry schedulers) {
        this.clock = clock;
        this.config = config;
        this.tunables = tunables;
        this.schedulers = schedulers;
        this.conns4 = new ConnTable(Af.INET, config.connCapacity(), config.hashSeed());
        this.conns6 = new ConnTable(Af.INET6, config.connCapacity6(), config.hashSeed() ^ 0x6L);
        this.conns = new Connections(conns4, conns6, dests, tunables, timeouts, total, counters);
        this.persistence = new Persistence(conns, tunables, counters);
        this.defense = new Defense(tunables, conns4, conns6);
        this.random = new SplittableRandom(config.randomSeed());
        this.schedCtx = new SchedulerContext() {
            @Override
            public int nowJiffies() {
                return conns.now;
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
        tick();
        this.lastEstimate = conns.now;
        this.lastSecond = conns.now;
    }

    private int tick() {
        int now = Jiffies.fromNanos(clock.nanoTime());
        conns.now = now;
        return now;
    }

    // ---------------------------------------------------------------- packet path (ip_vs_core.c)

    /**
     * Decides what to do with one packet and updates the connection it belongs to. Allocation-free in
     * steady state.
     */
    public Decision process(PacketHeader p, Decision d) {
        tick();
        return processAtTick(p, d);
    }

    /** {@link #process} at the time of the last {@link #tick}: a burst reads the clock once. */
    private Decision processAtTick(PacketHeader p, Decision d) {
        d.clear();
        ProtocolHandler ph = Protocols.get(p.protocol);
        if (ph == null) {
            counters.notOurs++;
            return d;
        }
        if (backupRunning && tunables.backupOnly() != 0) {
            // backup_only: the director function is off while the backup daemon runs
            counters.notOurs++;
            return d;
        }
        ConnTable t = p.af == Af.INET ? conns4 : conns6;
        if (p.direction == PacketHeader.DIR_OUTPUT) {
            return processReply(p, d, ph, t);
        }
        int c = t.lookupIn(p.protocol, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
        if (c != ConnTable.NONE) {
            c = checkExisting(p, d, ph, t, c);
            if (d.verdict == Verdict.DROP) {
                return d;
            }
        }
        if (c == ConnTable.NONE) {
            if (!ph.canCreate(p, sloppy(p.protocol))) {
                // the kernel lets such a packet continue on its way: it is nobody's connection
                counters.notOurs++;
                return d;
            }
            VirtualService svc = services.find(p.af, p.fwmark, p.protocol, p.dstHi, p.dstLo, p.dstPort);
            if (svc == null) {
                counters.notOurs++;
                return d;
            }
            if (defense.dropNewPacket()) {
                counters.countDrop(DropReason.DROP_PACKET_DEFENSE);
                return d.drop(DropReason.DROP_PACKET_DEFENSE);
            }
            c = schedule(svc, p, t, d);
            if (c == ConnTable.NONE) {
                if (d.verdict == Verdict.NOT_OURS) {
                    leave(svc, p, d);
                }
                if (d.dropReason != DropReason.NONE) {
                    counters.countDrop(d.dropReason);
                }
                return d;
            }
            d.newConnection = true;
            counters.connsCreated++;
        } else if ((t.flags(c) & ConnFlags.NO_CPORT) != 0 && p.srcPort != 0) {
            fillClientPort(t, c, p.srcPort);
        }

        conns.transition(t, c, ph, ConnDirection.INPUT, p);
        RealServer dest = conns.destOf(t, c);
        if (dest != null) {
            dest.stats().countIn(p.length);
            dest.service().stats().countIn(p.length);
        }
        total.countIn(p.length);
        conns.restartTimer(t, c);
        fill(d, t, c, dest);

        int flags = t.flags(c);
        if ((flags & ConnFlags.ONE_PACKET) != 0) {
            if (conns.syncHook != null) {
                conns.syncHook.onSync(t, c, tunables.syncThreshold());
            }
            // one-packet connections live for this packet only (expired, not deleted: the template stays)
            conns.expireNow(t, c);
            d.conn = ConnTable.NONE;
        } else {
            int pkts = t.inPkts(c) + 1;
            t.setInPkts(c, pkts);
            if (conns.syncHook != null) {
                conns.syncHook.onSync(t, c, pkts);
            }
        }
        return d;
    }

    /**
     * Processes a batch of packets: first touches every packet's hash bucket and connection entry so that
     * their cache misses overlap, then runs {@link #process} on each with one reading of the clock for
     * the whole burst. Same results as calling {@link #process} in order at one instant.
     */
    public void process(PacketHeader[] pkts, Decision[] out, int n) {
        int[] heads = burstHeads.length >= n ? burstHeads : (burstHeads = new int[n]);
        for (int i = 0; i < n; i++) {
            PacketHeader p = pkts[i];
            ConnTable t = p.af == Af.INET ? conns4 : conns6;
            heads[i] = p.direction == PacketHeader.DIR_INPUT
                ? t.bucketHead(p.protocol, p.srcHi, p.srcLo, p.srcPort)
                : t.bucketHead(p.protocol, p.dstHi, p.dstLo, p.dstPort);
        }
        int touched = 0;
        for (int i = 0; i < n; i++) {
            if (heads[i] != ConnTable.NONE) {
                touched += (pkts[i].af == Af.INET ? conns4 : conns6).touch(heads[i]);
            }
        }
        prefetchSink += touched;
        tick();
        for (int i = 0; i < n; i++) {
            processAtTick(pkts[i], out[i]);
        }
    }

    /**
     * conn_reuse_mode and expire_nodest_conn for a packet that found a connection; returns the connection
     * to use, NONE to schedule anew, or sets a drop verdict.
     */
    private int checkExisting(PacketHeader p, Decision d, ProtocolHandler ph, ConnTable t, int c) {
        int reuseMode = tunables.connReuseMode();
        RealServer dest = conns.destOf(t, c);
        if (reuseMode != 0 && isNewConnection(p)) {
            boolean resched = false;
            if (tunables.expireNodestConn() != 0 && dest != null && dest.weight() == 0) {
                resched = true;
            } else {
                resched = newConnExpected(t, c, reuseMode);
            }
            if (resched) {
                if (!controlsOthers(t, c)) {
                    conns.expireNow(t, c);
                } else {
                    t.unhash(c);
                }
                counters.connsRescheduled++;
                return ConnTable.NONE;
            }
        }
        if (dest != null && !dest.isAvailable()) {
            if (tunables.expireNodestConn() != 0) {
                conns.expireNow(t, c);
                counters.connsRescheduled++;
                return ConnTable.NONE;
            }
            counters.countDrop(DropReason.DEST_REMOVED);
            d.drop(DropReason.DEST_REMOVED);
            return c;
        }
        return c;
    }

    /** is_new_conn: a TCP SYN or an SCTP INIT. */
    private static boolean isNewConnection(PacketHeader p) {
        return switch (p.protocol) {
            case IpProto.TCP -> (p.tcpFlags & PacketHeader.TCP_SYN) != 0;
            case IpProto.SCTP -> p.sctpChunkType == SctpChunkType.INIT;
            default -> false;
        };
    }

    private static boolean controlsOthers(ConnTable t, int c) {
        return (t.flags(c) & ConnFlags.TEMPLATE) != 0 && t.nControl(c) > 0;
    }

    /** is_new_conn_expected: a new SYN/INIT may replace a connection that is closing. */
    private static boolean newConnExpected(ConnTable t, int c, int reuseMode) {
        if (t.control(c) != ConnTable.NONE) {
            return false;
        }
        int state = t.state(c);
        return switch (t.protocol(c)) {
            case IpProto.TCP -> state == TcpState.TIME_WAIT || state == TcpState.CLOSE
                || ((reuseMode & 2) != 0 && state == TcpState.FIN_WAIT
                    && (t.flags(c) & ConnFlags.NOOUTPUT) != 0);
            case IpProto.SCTP -> state == SctpState.CLOSED;
            default -> false;
        };
    }

    private void fillClientPort(ConnTable t, int c, int cport) {
        t.unhash(c);
        t.setCport(c, cport);
        t.setFlags(c, t.flags(c) & ~ConnFlags.NO_CPORT);
        t.rehash(c);
    }

    /** ip_vs_schedule for a service without persistence, or persistence's own path. */
    private int schedule(VirtualService svc, PacketHeader p, ConnTable t, Decision d) {
        if ((svc.flags() & ServiceFlags.PERSISTENT) != 0) {
            return persistence.schedule(svc, p, t, d);
        }
        if (!svc.key().isFwmark() && p.dstPort != svc.key().port()) {
            // a port-zero service must be persistent: the kernel refuses to schedule it
            d.drop(DropReason.PORT_ZERO_NOT_PERSISTENT);
            return ConnTable.NONE;
        }
        RealServer dest = svc.scheduler().schedule(svc, p);
        if (dest == null) {
            return ConnTable.NONE;
        }
        int flags = svc.config().isOnePacket() && p.protocol == IpProto.UDP ? ConnFlags.ONE_PACKET : 0;
        int dport = dest.port() != 0 ? dest.port() : p.dstPort;
        int c = conns.create(t, p.protocol, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort, dest, dport,
            flags, p.fwmark, Jiffies.fromSeconds(Connections.INITIAL_TIMEOUT_SECONDS));
        if (c == ConnTable.NONE) {
            d.drop(DropReason.CONN_TABLE_FULL);
            return c;
        }
        conns.countNew(dest);
        return c;
    }

    /** ip_vs_leave: no real server could be chosen. */
    private void leave(VirtualService svc, PacketHeader p, Decision d) {
        if (tunables.cacheBypass() != 0 && svc.key().isFwmark()) {
            d.verdict = Verdict.BYPASS;
            return;
        }
        if (!svc.key().isFwmark() && svc.key().port() == ServiceTable.FTP_PORT && p.dstPort != ServiceTable.FTP_PORT) {
            counters.notOurs++;
            return;
        }
        d.verdict = Verdict.ICMP_UNREACHABLE;
        d.dropReason = DropReason.NO_DESTINATION;
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
        d.clear();
        tick();
        ProtocolHandler ph = Protocols.get(embedded.protocol);
        if (ph == null) {
            counters.notOurs++;
            return d;
        }
        ConnTable t = embedded.af == Af.INET ? conns4 : conns6;
        PacketHeader e = embedded;
        if (direction == PacketHeader.DIR_OUTPUT) {
            int c = t.lookupOut(e.protocol, e.dstHi, e.dstLo, e.dstPort, e.srcHi, e.srcLo, e.srcPort);
            if (c == ConnTable.NONE) {
                counters.notOurs++;
                return d;
            }
            fill(d, t, c, conns.destOf(t, c));
            d.verdict = Verdict.FORWARD_REPLY;
            return d;
        }
        // the quoted packet went director -> client: its destination is the client
        int c = t.lookupIn(e.protocol, e.dstHi, e.dstLo, e.dstPort, e.srcHi, e.srcLo, e.srcPort);
        if (c == ConnTable.NONE && tunables.scheduleIcmp() != 0) {
            VirtualService svc = services.find(e.af, e.fwmark, e.protocol, e.srcHi, e.srcLo, e.srcPort);
            if (svc != null) {
                PacketHeader q = icmpScratch.clear();
                q.af = e.af;
                q.protocol = e.protocol;
                q.srcHi = e.dstHi;
                q.srcLo = e.dstLo;
                q.srcPort = e.dstPort;
                q.dstHi = e.srcHi;
                q.dstLo = e.srcLo;
                q.dstPort = e.srcPort;
                q.fwmark = e.fwmark;
                c = schedule(svc, q, t, d);
                if (c != ConnTable.NONE) {
                    d.newConnection = true;
                    counters.connsCreated++;
                }
            }
        }
        if (c == ConnTable.NONE) {
            if (d.dropReason != DropReason.NONE) {
                counters.countDrop(d.dropReason);
                return d;
            }
            counters.notOurs++;
            return d;
        }
        boolean created = d.newConnection;
        fill(d, t, c, conns.destOf(t, c));
        d.newConnection = created;
        return d;
    }

    /** A NAT reply (real server → client): find the connection by its real-server side. */
    private Decision processReply(PacketHeader p, Decision d, ProtocolHandler ph, ConnTable t) {
        int c = t.lookupOut(p.protocol, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
        if (c == ConnTable.NONE) {
            if (tunables.natIcmpSend() != 0 && !isReset(p)
                && realServices.has(p.af, p.protocol, p.srcHi, p.srcLo, p.srcPort)) {
                // a NAT real server answering for a connection we do not know: tell it so
                d.verdict = Verdict.ICMP_UNREACHABLE;
                d.dropReason = DropReason.NO_CONNECTION;
                counters.countDrop(DropReason.NO_CONNECTION);
                return d;
            }
            counters.notOurs++;
            return d;
        }
        RealServer dest = conns.destOf(t, c);
        if (dest != null) {
            dest.stats().countOut(p.length);
            dest.service().stats().countOut(p.length);
        }
        total.countOut(p.length);
        conns.transition(t, c, ph, ConnDirection.OUTPUT, p);
        conns.restartTimer(t, c);
        fill(d, t, c, dest);
        d.verdict = Verdict.FORWARD_REPLY;
        return d;
    }

    private static boolean isReset(PacketHeader p) {
        return switch (p.protocol) {
            case IpProto.TCP -> (p.tcpFlags & PacketHeader.TCP_RST) != 0;
            case IpProto.SCTP -> p.sctpChunkType == SctpChunkType.ABORT;
            default -> false;
        };
    }

    private void fill(Decision d, ConnTable t, int c, RealServer dest) {
        d.table = t;
        d.conn = c;
        d.dest = dest;
        int flags = t.flags(c);
        d.connFlags = flags;
        d.daddrHi = t.daddrHi(c);
        d.daddrLo = t.daddrLo(c);
        d.dport = t.dport(c);
        d.vaddrHi = t.vaddrHi(c);
        d.vaddrLo = t.vaddrLo(c);
        d.vport = t.vport(c);
        d.verdict = switch (flags & ConnFlags.FWD_MASK) {
            case ConnFlags.LOCALNODE -> Verdict.LOCAL;
            case ConnFlags.BYPASS -> Verdict.BYPASS;
            default -> Verdict.FORWARD;
        };
    }

    private boolean sloppy(int protocol) {
        return switch (protocol) {
            case IpProto.TCP -> tunables.sloppyTcp() != 0;
            case IpProto.SCTP -> tunables.sloppySctp() != 0;
            default -> false;
        };
    }

    // ---------------------------------------------------------------- sync backup (ip_vs_proc_conn)

    /**
     * Applies one entry received from a sync master (spec §3): creates or refreshes the connection or
     * template with the SYNC flag, binds it to the local real server when there is one (taking the
     * local forwarding method, keeping the message's INACTIVE bit), and re-arms it for receive time +
     * timeout, or for receive time + the master's time left when a UVS master sent it. Templates and
     * connections are not linked on a backup.
     */
    public SyncUpdate.Result applySync(SyncUpdate u) {
        tick();
        boolean template = (u.flags & ConnFlags.TEMPLATE) != 0;
        if (!template && Protocols.get(u.protocol) == null) {
            return SyncUpdate.Result.IGNORED_PROTOCOL;
        }
        ConnTable t = u.af == Af.INET ? conns4 : conns6;
        int flags = u.flags | ConnFlags.SYNC;
        int c;
        if (!template) {
            c = t.lookupIn(u.protocol, u.caddrHi, u.caddrLo, u.cport, u.vaddrHi, u.vaddrLo, u.vport);
        } else if (u.peDataLength == 0) {
            c = t.lookupTemplate(u.protocol, u.caddrHi, u.caddrLo, u.vaddrHi, u.vaddrLo, u.vport);
        } else {
            // the PE's template match: same key and identical PE data
            PeDataStore store = conns.peData(t);
            c = t.lookupTemplate(u.protocol, u.caddrHi, u.caddrLo, u.vaddrHi, u.vaddrLo, u.vport, ConnTable.NONE);
            while (c != ConnTable.NONE && !store.matches(c, u.peData, u.peDataLength)) {
                c = t.lookupTemplate(u.protocol, u.caddrHi, u.caddrLo, u.vaddrHi, u.vaddrLo, u.vport, c);
            }
        }
        SyncUpdate.Result result = SyncUpdate.Result.UPDATED;
        if (c != ConnTable.NONE && (t.dport(c) != u.dport || t.daddrHi(c) != u.daddrHi || t.daddrLo(c) != u.daddrLo)) {
            if ((flags & ConnFlags.INACTIVE) != 0) {
                // the expiry notice of a connection this backup already saw replaced
                return SyncUpdate.Result.IGNORED_STALE;
            }
            conns.expireNow(t, c);
            c = ConnTable.NONE;
            result = SyncUpdate.Result.REPLACED;
        }
        if (c == ConnTable.NONE) {
            c = t.insert(u.protocol, u.caddrHi, u.caddrLo, u.cport, u.vaddrHi, u.vaddrLo, u.vport, u.daddrHi,
                u.daddrLo, u.dport, flags, u.fwmark, ConnTable.NO_DEST, 0, conns.now, true);
            if (c == ConnTable.NONE) {
                counters.countDrop(DropReason.CONN_TABLE_FULL);
                return SyncUpdate.Result.TABLE_FULL;
            }
            if (template && u.peDataLength > 0) {
                // PE data is kept only on templates
                conns.peData(t).put(c, u.peData, u.peDataLength);
            }
            RealServer dest = findSyncDest(u, flags);
            if (dest != null) {
                bindSynced(t, c, dest);
            }
            if (result != SyncUpdate.Result.REPLACED) {
                result = SyncUpdate.Result.CREATED;
            }
        } else {
            int old = t.flags(c);
            RealServer dest = conns.destOf(t, c);
            if (!template && dest != null && ((old ^ flags) & ConnFlags.INACTIVE) != 0) {
                if ((flags & ConnFlags.INACTIVE) != 0) {
                    dest.addActive(-1);
                    dest.addInactive(1);
                } else {
                    dest.addActive(1);
                    dest.addInactive(-1);
                }
            }
            t.setFlags(c, (old & ~ConnFlags.BACKUP_UPD_MASK) | (flags & ConnFlags.BACKUP_UPD_MASK));
            if (dest == null) {
                RealServer found = findSyncDest(u, t.flags(c));
                if (found != null) {
                    bindSynced(t, c, found);
                }
            }
        }
        t.setInPkts(c, tunables.syncThreshold());
        // a template state beyond ASSURED is shown as ERR!; the table keeps 8 bits of it
        int state = Math.min(Math.max(u.state, 0), 0xff);
        t.setState(c, state);
        t.setOldState(c, state);
        // a timeout beyond the wrap-safe half of the jiffies range is clamped, as the kernel clamps to
        // MAX_SCHEDULE_TIMEOUT
        int timeout = u.timeoutSeconds != 0
            ? Jiffies.fromSeconds(Math.min(Integer.toUnsignedLong(u.timeoutSeconds), MAX_SYNC_TIMEOUT_SECONDS))
            : conns.defaultSyncTimeout(u.protocol, state, template);
        t.setTimeout(c, timeout);
        if (u.expiresInMillis >= 0) {
            // a UVS master's time left: expire with the master, not a full timeout after this update; a
            // template's expiry only moves later on the master, so an older update (retransmitted) never
            // shortens it
            int expires = conns.now + Jiffies.fromMillis(Math.min(u.expiresInMillis, MAX_SYNC_TIMEOUT_SECONDS * 1000L));
            t.arm(c, template && result == SyncUpdate.Result.UPDATED && Jiffies.after(t.expires(c), expires)
                ? t.expires(c) : expires);
        } else {
            conns.restartTimer(t, c);
        }
        return result;
    }

    /** ip_vs_find_dest: the service as for packets, then the real server by address and port. */
    private RealServer findSyncDest(SyncUpdate u, int flags) {
        VirtualService svc = services.find(u.af, u.fwmark, u.protocol, u.vaddrHi, u.vaddrLo, u.vport);
        if (svc == null) {
            return null;
        }
        int first = u.dport;
        int second = 0;
        if (u.fwmark != 0 && (flags & ConnFlags.FWD_MASK) != ConnFlags.MASQ) {
            first = 0;
            second = u.dport;
        }
        RealServer d = svc.findDest(u.daddrHi, u.daddrLo, first);
        return d != null ? d : svc.findDest(u.daddrHi, u.daddrLo, second);
    }

    /** Binds a synced entry: the local server's method and NOOUTPUT, the message's INACTIVE bit. */
    private void bindSynced(ConnTable t, int c, RealServer dest) {
        int destFlags = Connections.destConnFlags(dest);
        int flags = t.flags(c);
        if ((flags & ConnFlags.TEMPLATE) == 0) {
            destFlags &= ~ConnFlags.INACTIVE;
        }
        flags &= ~(ConnFlags.FWD_MASK | ConnFlags.NOOUTPUT);
        t.setFlags(c, flags | destFlags);
        conns.bind(t, c, dest);
    }

    // ---------------------------------------------------------------- housekeeping

    /**
     * Runs timers: connection expiry, the 2 s rate estimator, once-a-second defense levels, scheduler
     * housekeeping and the real-server trash. Returns the amount of work done (0 = idle).
     */
    public int doWork() {
        return doWork(EXPIRE_LIMIT);
    }

    /**
     * {@link #doWork()} expiring at most {@code expireLimit} entries per table, for a caller that runs other
     * work in between (a simulator running the sync threads, which a burst of expiries feeds).
     */
    public int doWork(int expireLimit) {
        int now = tick();
        int work = conns.expire(expireLimit);
        if (now - lastEstimate >= Jiffies.fromSeconds(RateEstimator.INTERVAL_SECONDS)) {
            lastEstimate = now;
            if (!tunables.estStopped()) {
                estimate();
            }
            work++;
        }
        if (now - lastSecond >= Jiffies.HZ) {
            lastSecond = now;
            defense.update();
            conns.secureTcp = defense.secureTcp();
            if (defense.dropEntry()) {
                // the kernel visits 1/32 of its hash buckets per second
                conns.randomDropEntries(conns4, random, Math.max(1, conns4.bucketCount() >> 5));
                conns.randomDropEntries(conns6, random, Math.max(1, conns6.bucketCount() >> 5));
            }
            List<VirtualService> all = services.all();
            for (int i = 0; i < all.size(); i++) {
                VirtualService s = all.get(i);
                s.scheduler().onTick(s, now);
            }
            dests.collect(now);
            work++;
        }
        return work;
    }

    private void estimate() {
        RateEstimator.tick(total);
        List<VirtualService> all = services.all();
        for (int i = 0; i < all.size(); i++) {
            VirtualService s = all.get(i);
            RateEstimator.tick(s.stats());
            for (RealServer d : s.dests()) {
                RateEstimator.tick(d.stats());
            }
        }
    }

    // ---------------------------------------------------------------- control (ip_vs_ctl.c)

    /** {@code ipvsadm -A}. */
    public VirtualService addService(ServiceKey key, ServiceConfig cfg) {
        tick();
        validateService(IpvsException.Op.ADD_SERVICE, key, cfg);
        if (services.get(key) != null) {
            throw new IpvsException(IpvsException.Op.ADD_SERVICE, IpvsException.Errno.EEXIST, null);
        }
        VirtualService s = new VirtualService(key, cfg);
        s.scheduler(newScheduler(IpvsException.Op.ADD_SERVICE, cfg.scheduler(), s));
        s.persistenceEngine(cfg.peName() == null ? null : PersistenceEngines.get(cfg.peName()));
        services.add(s);
        return s;
    }

    /** {@code ipvsadm -E}: scheduler, flags, timeout, netmask and PE replaced by {@code cfg}. */
    public VirtualService editService(ServiceKey key, ServiceConfig cfg) {
        tick();
        VirtualService s = requireService(IpvsException.Op.EDIT_SERVICE, key);
        validateService(IpvsException.Op.EDIT_SERVICE, key, cfg);
        Scheduler newSched = null;
        if (!cfg.scheduler().equals(s.config().scheduler())) {
            newSched = newScheduler(IpvsException.Op.EDIT_SERVICE, cfg.scheduler(), s);
        }
        int oldFlags = s.flags();
        s.config(cfg);
        s.persistenceEngine(cfg.peName() == null ? null : PersistenceEngines.get(cfg.peName()));
        if (newSched != null) {
            s.scheduler(newSched);
            RealServer[] list = s.dests();
            for (int i = list.length - 1; i >= 0; i--) {
                newSched.onDestAdded(s, list[i]);
            }
        } else if ((oldFlags & ServiceFlags.SCHED_MASK) != (cfg.flags() & ServiceFlags.SCHED_MASK)) {
            s.scheduler().onServiceUpdated(s);
        }
        return s;
    }

    /** {@code ipvsadm -D}. */
    public void deleteService(ServiceKey key) {
        tick();
        VirtualService s = requireService(IpvsException.Op.DELETE_SERVICE, key);
        removeService(s);
        if (tunables.expireNodestConn() != 0) {
            conns.flushUnavailable();
        }
    }

    /** {@code ipvsadm -C}. */
    public void clear() {
        tick();
        for (VirtualService s : new ArrayList<>(services.all())) {
            removeService(s);
        }
        if (tunables.expireNodestConn() != 0) {
            conns.flushUnavailable();
        }
    }

    private void removeService(VirtualService s) {
        RealServer[] list = s.dests();
        for (RealServer d : list) {
            int idx = s.removeDest(d);
            s.scheduler().onDestRemoved(s, d, idx);
            realServices.remove(d);
            dests.trash(d, conns.now);
        }
        services.remove(s);
    }

    /** {@code ipvsadm -a}: a new (or revived) real server goes to the head of the list. */
    public RealServer addDest(ServiceKey key, IpAddress addr, int port, RealServerConfig cfg) {
        tick();
        VirtualService s = requireService(IpvsException.Op.ADD_DEST, key);
        validateDest(IpvsException.Op.ADD_DEST, s, addr, cfg);
        if (s.findDest(addr, port) != null) {
            throw new IpvsException(IpvsException.Op.ADD_DEST, IpvsException.Errno.EEXIST, null);
        }
        RealServer d = dests.revive(key, addr, port);
        if (d == null) {
            d = new RealServer(s, addr, port);
            dests.register(d);
        }
        d.configure(cfg);
        d.available(true);
        s.addDestAtHead(d);
        realServices.add(d);
        s.scheduler().onDestAdded(s, d);
        return d;
    }

    /** {@code ipvsadm -e}. */
    public RealServer editDest(ServiceKey key, IpAddress addr, int port, RealServerConfig cfg) {
        tick();
        VirtualService s = requireService(IpvsException.Op.EDIT_DEST, key);
        validateDest(IpvsException.Op.EDIT_DEST, s, addr, cfg);
        RealServer d = s.findDest(addr, port);
        if (d == null) {
            throw new IpvsException(IpvsException.Op.EDIT_DEST, IpvsException.Errno.ENOENT, null);
        }
        realServices.remove(d);
        d.configure(cfg);
        realServices.add(d);
        s.scheduler().onDestUpdated(s, d);
        return d;
    }

    /** {@code ipvsadm -d}: the server goes to the trash while connections refer to it. */
    public void deleteDest(ServiceKey key, IpAddress addr, int port) {
        tick();
        VirtualService s = requireService(IpvsException.Op.DELETE_DEST, key);
        RealServer d = s.findDest(addr, port);
        if (d == null) {
            throw new IpvsException(IpvsException.Op.DELETE_DEST, IpvsException.Errno.ENOENT, null);
        }
        int idx = s.removeDest(d);
        s.scheduler().onDestRemoved(s, d, idx);
        realServices.remove(d);
        dests.trash(d, conns.now);
        if (tunables.expireNodestConn() != 0) {
            conns.flushUnavailable();
        }
    }

    /** {@code ipvsadm -Z [service]}: zero statistics of one service or of everything. */
    public void zero(ServiceKey key) {
        if (key != null) {
            VirtualService s = requireService(IpvsException.Op.ZERO, key);
            zero(s);
            return;
        }
        for (VirtualService s : services.all()) {
            zero(s);
        }
        total.zero();
    }

    private static void zero(VirtualService s) {
        s.stats().zero();
        for (RealServer d : s.dests()) {
            d.stats().zero();
        }
    }

    /** {@code ipvsadm --set tcp tcpfin udp} (seconds, 0 = unchanged). */
    public void setTimeouts(int tcp, int tcpfin, int udp) {
        timeouts.setTcpTcpfinUdp(tcp, tcpfin, udp);
    }

    /** Sets a tunable by its sysctl name; defense modes take effect at once, as in the kernel. */
    public void setTunable(String name, String value) {
        tunables.set(name, value);
        defense.update();
        conns.secureTcp = defense.secureTcp();
    }

    /**
     * Applies a sysctl file's entries atomically (all or nothing, errors with file:line); returns the
     * problems of skipped {@code -} lines.
     */
    public List<String> applySysctl(List<SysctlFile.Entry> entries) {
        List<String> skipped = tunables.applyAll(entries);
        defense.update();
        conns.secureTcp = defense.secureTcp();
        return skipped;
    }

    private void validateService(IpvsException.Op op, ServiceKey key, ServiceConfig cfg) {
        if (!key.isFwmark() && key.protocol() != IpProto.TCP && key.protocol() != IpProto.UDP
            && key.protocol() != IpProto.SCTP) {
            throw new IpvsException(op, IpvsException.Errno.EINVAL, "protocol " + key.protocol() + " not supported");
        }
        if (cfg.peName() != null && PersistenceEngines.get(cfg.peName()) == null) {
            throw new IpvsException(op, IpvsException.Errno.ENOENT, "persistence engine " + cfg.peName());
        }
        if (cfg.isPersistent()
            && (cfg.persistTimeout() < 1 || cfg.persistTimeout() > ServiceConfig.MAX_PERSIST_TIMEOUT)) {
            throw new IpvsException(op, IpvsException.Errno.EINVAL,
                "persistent timeout " + cfg.persistTimeout() + " is out of range 1.." + ServiceConfig.MAX_PERSIST_TIMEOUT);
        }
        if (key.af() == Af.INET6 && (cfg.netmask() < 1 || cfg.netmask() > 128)) {
            throw new IpvsException(op, IpvsException.Errno.EINVAL,
                "IPv6 prefix length " + cfg.netmask() + " is out of range 1..128");
        }
    }

    private void validateDest(IpvsException.Op op, VirtualService s, IpAddress addr, RealServerConfig cfg) {
        if (cfg.weight() < 0) {
            throw new IpvsException(op, IpvsException.Errno.ERANGE, "server weight less than zero");
        }
        if (cfg.upperThreshold() < 0 || cfg.lowerThreshold() < 0) {
            throw new IpvsException(op, IpvsException.Errno.EINVAL, "thresholds must not be negative");
        }
        if (cfg.lowerThreshold() > cfg.upperThreshold()) {
            throw new IpvsException(op, IpvsException.Errno.ERANGE, "lower threshold is higher than upper threshold");
        }
        if (addr.af() != s.key().af()) {
            throw new IpvsException(op, IpvsException.Errno.EAFNOSUPPORT,
                "real servers of another address family are not supported");
        }
        if (cfg.forward() == ForwardMethod.TUNNEL && cfg.tunnelType() == TunnelType.GUE
            && (cfg.tunnelPort() < 1 || cfg.tunnelPort() > 65535)) {
            throw new IpvsException(op, IpvsException.Errno.EINVAL, "GUE tunnel needs a port 1..65535");
        }
    }

    private Scheduler newScheduler(IpvsException.Op op, String name, VirtualService s) {
        try {
            return schedulers.create(name, s, schedCtx);
        } catch (IllegalArgumentException e) {
            throw new IpvsException(op, IpvsException.Errno.ENOENT, "scheduler " + name);
        }
    }

    private VirtualService requireService(IpvsException.Op op, ServiceKey key) {
        VirtualService s = services.get(key);
        if (s == null) {
            throw new IpvsException(op, IpvsException.Errno.ESRCH, null);
        }
        return s;
    }

    // ---------------------------------------------------------------- views

    /**
     * Finishes what the control changes since the last call left for later ({@link Scheduler#settle}); the
     * engine's owner calls it after a batch of control work, before the next packet.
     */
    public void settleSchedulers() {
        for (VirtualService s : services.all()) {
            s.scheduler().settle(s);
        }
    }

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
        return conns.now;
    }

    /** Tells the engine whether a sync backup daemon runs (for backup_only). */
    public void backupRunning(boolean running) {
        this.backupRunning = running;
    }

    /** Installs (or, with null, removes) the sync master's hook. */
    public void syncHook(SyncHook hook) {
        conns.syncHook = hook;
    }

    /** Forcibly deletes one entry, as a flush does (tests, control plane). */
    public void deleteConn(ConnTable t, int conn) {
        tick();
        conns.delete(t, conn);
    }

    /** Deletes every connection entry. */
    public void flushConnections() {
        tick();
        conns.flushAll();
    }
}
