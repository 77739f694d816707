package uvs.sync.master;

import java.nio.ByteOrder;
import java.security.SecureRandom;
import uvs.core.Engine;
import uvs.core.SyncHook;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.Af;
import uvs.core.tune.Tunables;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.codec.SyncAppendResult;
import uvs.sync.codec.SyncEntry;
import uvs.sync.codec.SyncMessageWriter;
import uvs.sync.ext.UvsTrailer;
import uvs.sync.transport.SyncTransport;
import uvs.time.Jiffies;

/**
 * The engine side of a sync master daemon (the kernel's ip_vs_sync_conn / ip_vs_sync_conn_v0 and the
 * buffer queueing of ip_vs_sync.c, spec §1.7 and §2). Installed as the engine's {@link SyncHook}, it
 * decides per input packet which entries are sent ({@link SyncNeeded}), writes them into the current
 * message of their port and queues full messages for a {@link SyncSender}, which may run on another
 * thread. Everything except {@link SyncSender#doWork()} runs on the engine's thread; the per-packet path
 * neither allocates nor locks.
 *
 * <p><b>Ports.</b> {@code N = min(sync_ports, 64)} ports, fixed at construction. A connection's entry
 * goes to port {@code hash(af, id) & (N - 1)}; its template is placed by its own id.
 *
 * <p><b>Buffers.</b> Each port has a pool of preallocated buffers of
 * {@code max(sync_maxlen, largest entry + header)} bytes. A message is closed when the next entry does not
 * fit (so a full message waits for one more entry), when the sync version changes, or by
 * {@link #doWork(int)} when it is {@value #FLUSH_SECONDS} s old and the port's queue is empty. A closed
 * message is queued while the queue holds fewer than {@code sync_qlen_max}; otherwise it is dropped and
 * counted. Unlike the kernel, which allocates buffers up to {@code sync_qlen_max} per thread, the pool is
 * fixed: when all of a port's buffers are queued, entries are lost and counted as
 * {@link SyncMasterCounters#noBuffer()} (the kernel's failed allocation).
 *
 * <p><b>Stopping</b> removes the hook and discards the partly filled messages; the sender then discards
 * whatever is still queued instead of sending it.
 *
 * <p><b>UVS extensions</b> (docs/sync.md). With reliable and/or authenticated mode configured, messages
 * leave room for the UVS trailer, which the sender adds. In reliable mode this class also queues a
 * HEARTBEAT on a port that queued nothing for the heartbeat interval, and, when a backup asked for a resync
 * ({@link ResyncWalk}), walks the whole connection table in bounded steps from {@link #doWork(int)}, writing
 * every connection in a synced state and every template into messages of their own (flagged RESYNC), then a
 * RESYNC_DONE on every port.
 */
public final class SyncMaster implements SyncHook {
    /** IPVS_SYNC_PORTS_MAX. */
    public static final int MAX_PORTS = 64;
    /** IPVS_SYNC_FLUSH_TIME in seconds. */
    public static final int FLUSH_SECONDS = 2;
    /** Queued messages a port's pool holds at most by default (plus the two being filled and sent). */
    public static final int DEFAULT_POOL_QUEUE = 256;

    private static final int FLUSH_JIFFIES = Jiffies.fromSeconds(FLUSH_SECONDS);
    /** Buffers of a port besides queued ones: the one being filled and the one being sent. */
    private static final int IN_USE_BUFFERS = 2;
    /** {@link #append} result: the entry is in a message. */
    static final int APPENDED = 0;
    /** {@link #append} result: not written (PE data without PE); the call chain stops. */
    static final int STOPPED = 1;
    /** {@link #append} result: not written, every buffer of the port is in use. */
    static final int NO_BUFFER = 2;

    private final Engine engine;
    private final Tunables tunables;
    private final SyncDaemonConfig config;
    private final SyncNeeded needed;
    private final int maxlen;
    private final int portMask;
    private final MasterPort[] ports;
    private final SyncEntry entry = new SyncEntry();
    private final SyncMasterCounters counters = new SyncMasterCounters();
    private final int writerMaxlen;
    private final int senderId;
    private final int heartbeatJiffies;
    private final ResyncWalk walk;
    private volatile boolean running;
    private boolean stopped;

    /**
     * A master with a pool of {@code min(sync_qlen_max, 256) + 2} buffers per port.
     *
     * @throws IllegalArgumentException when {@code config} is not a master's
     */
    public SyncMaster(Engine engine, SyncDaemonConfig config) {
        this(engine, config, (int) Math.min(engine.tunables().syncQlenMax(), DEFAULT_POOL_QUEUE) + IN_USE_BUFFERS);
    }

    /**
     * A master with an explicit pool size and a random sender id.
     *
     * @param buffersPerPort preallocated buffers per port, at least 2
     * @throws IllegalArgumentException when {@code config} is not a master's or the pool is too small
     */
    public SyncMaster(Engine engine, SyncDaemonConfig config, int buffersPerPort) {
        this(engine, config, buffersPerPort, new SecureRandom().nextInt());
    }

    /**
     * A master with an explicit pool size and sender id (the UVS trailer's; random at each start otherwise,
     * given here for reproducible tests and simulations).
     *
     * @param buffersPerPort preallocated buffers per port, at least 2
     * @throws IllegalArgumentException when {@code config} is not a master's or the pool is too small
     */
    public SyncMaster(Engine engine, SyncDaemonConfig config, int buffersPerPort, int senderId) {
        if (config.state() != SyncDaemonConfig.State.MASTER) {
            throw new IllegalArgumentException("sync master needs a MASTER config, got " + config.state());
        }
        if (buffersPerPort < IN_USE_BUFFERS) {
            throw new IllegalArgumentException("buffers per port " + buffersPerPort + " below " + IN_USE_BUFFERS);
        }
        this.engine = engine;
        this.tunables = engine.tunables();
        this.config = config;
        this.needed = new SyncNeeded(tunables, config.reliable());
        this.maxlen = config.syncMaxlen();
        this.senderId = senderId;
        // the trailer goes inside sync_maxlen, so that a backup of the same maxlen takes the whole datagram
        this.writerMaxlen = Math.max(1, maxlen - config.trailerLength());
        this.heartbeatJiffies = (int) ((long) config.heartbeatMillis() * Jiffies.HZ / 1000);
        int n = Math.max(1, Math.min(tunables.syncPorts(), MAX_PORTS));
        this.portMask = n - 1;
        this.ports = new MasterPort[n];
        int capacity = SyncMessageWriter.requiredCapacity(writerMaxlen) + config.trailerLength();
        for (int i = 0; i < n; i++) {
            ports[i] = new MasterPort(buffersPerPort, capacity, config.reliable() ? config.retransmitRing() : 0);
        }
        this.walk = config.reliable() ? new ResyncWalk(this, engine, config.resyncPerCycle(), counters) : null;
    }

    /**
     * Installs this master as the engine's sync hook.
     *
     * @throws IllegalStateException when it was stopped before (start a new master instead)
     */
    public void start() {
        if (stopped) {
            throw new IllegalStateException("sync master was stopped; create a new one");
        }
        running = true;
        // so that backups hear a (new) master at once
        int now = engine.nowJiffies();
        for (MasterPort p : ports) {
            p.lastQueued = now - heartbeatJiffies;
        }
        engine.syncHook(this);
    }

    /** Removes the hook and discards every unsent message (the partly filled ones now, queued ones by the sender). */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        running = false;
        engine.syncHook(null);
        for (MasterPort p : ports) {
            if (p.current != null) {
                counters.onPartialDiscarded();
                p.release(p.current);
                p.current = null;
            }
        }
    }

    /** True between {@link #start()} and {@link #stop()}. Any thread. */
    public boolean isRunning() {
        return running;
    }

    /** A sender draining this master's queues through {@code transport}; run it on one thread only. */
    public SyncSender sender(SyncTransport transport) {
        return new SyncSender(this, ports, transport, counters);
    }

    /**
     * ip_vs_sync_conn: offers {@code conn} (and, through its control chain, its template) for sending.
     * Engine thread; allocation-free.
     */
    @Override
    public void onSync(ConnTable t, int conn, int pkts) {
        int now = engine.nowJiffies();
        int version = tunables.syncVersion() == 0 ? 0 : 1;
        int c = conn;
        int p = pkts;
        while (true) {
            int flags = t.flags(c);
            if (version == 0) {
                // v0 carries IPv4 only, never a one-packet conn and its template only after the conn was sent
                if (t.af() != Af.INET || (flags & ConnFlags.ONE_PACKET) != 0 || !needed.needed(t, c, p, now)
                    || append(t, c, flags, 0, now, false) != APPENDED) {
                    return;
                }
            } else if ((flags & ConnFlags.ONE_PACKET) == 0 && needed.needed(t, c, p, now)
                && append(t, c, flags, 1, now, false) != APPENDED) {
                return;
            }
            // a template's control word is its n_control, not a controller
            int ctl = (flags & ConnFlags.TEMPLATE) != 0 ? ConnTable.NONE : t.control(c);
            if (ctl == ConnTable.NONE) {
                return;
            }
            if ((t.flags(ctl) & ConnFlags.TEMPLATE) != 0) {
                p = t.inPkts(ctl) + 1;
                t.setInPkts(ctl, p);
            } else {
                p = tunables.syncThreshold();
            }
            c = ctl;
        }
    }

    /**
     * Closes messages that were started {@value #FLUSH_SECONDS} s or more ago when their port has nothing
     * queued (the master thread's get_curr_sync_buff); in reliable mode also queues heartbeats and advances a
     * requested resync. Call it on the engine's thread every cycle.
     *
     * @return the amount of work done (messages closed or queued, entries visited), 0 when idle
     */
    public int doWork(int nowJiffies) {
        if (!running) {
            return 0;
        }
        int work = 0;
        for (MasterPort mp : ports) {
            SyncBuffer b = mp.current;
            if (b != null && nowJiffies - b.created >= FLUSH_JIFFIES && mp.sendQueue.isEmpty()) {
                // taken for sending directly, as the kernel does: no sync_qlen_max test
                finish(mp, b, nowJiffies);
                if (mp.sendQueue.offer(b)) {
                    mp.lastQueued = nowJiffies;
                    counters.onPartialFlush();
                    counters.onQueued();
                } else {
                    counters.onQueueDrop(b.entries);
                    mp.release(b);
                }
                work++;
            }
        }
        if (walk != null) {
            work += walk.step(nowJiffies);
            for (int i = 0; i < ports.length; i++) {
                MasterPort mp = ports[i];
                if (mp.sendQueue.isEmpty() && nowJiffies - mp.lastQueued >= heartbeatJiffies
                    && queueControl(i, UvsTrailer.TYPE_HEARTBEAT, 0, nowJiffies)) {
                    counters.onHeartbeat();
                    work++;
                }
            }
        }
        return work;
    }

    /** The sender id this master puts into the UVS trailer. */
    public int senderId() {
        return senderId;
    }

    /** True while a requested resync is walking the table or queueing its RESYNC_DONE. Engine thread. */
    public boolean resyncing() {
        return walk != null && walk.active();
    }

    /** Sender thread: a backup asked for the whole table; returns the resync generation that will answer it. */
    long requestResync() {
        return walk.request();
    }

    /** Engine thread: writes one entry of a resync walk; returns an {@link #append} result. */
    int appendResync(ConnTable t, int c, int version, int now) {
        int r = append(t, c, t.flags(c), version, now, true);
        if (r == APPENDED) {
            counters.onResyncEntry();
        }
        return r;
    }

    /**
     * Engine thread: true while the port of entry {@code c} has queued fewer than half of what it may queue,
     * so that a resync leaves room for live updates and never loses its own messages.
     */
    boolean resyncRoom(ConnTable t, int c) {
        MasterPort mp = ports[portOf(t, c)];
        long limit = Math.min(tunables.syncQlenMax(), mp.buffers() - IN_USE_BUFFERS - 1);
        return mp.sendQueue.size() < Math.max(1, limit / 2);
    }

    /** Engine thread: queues every partly filled message, so that what was written so far goes first. */
    void closeAll(int now) {
        for (MasterPort mp : ports) {
            if (mp.current != null) {
                close(mp, now);
            }
        }
    }

    /**
     * Engine thread: queues a bodiless HEARTBEAT or RESYNC_DONE on {@code port}; false when no buffer is free
     * or the queue is full (try again later).
     */
    boolean queueControl(int port, int type, long generation, int now) {
        MasterPort mp = ports[port];
        SyncBuffer b = mp.acquire();
        if (b == null) {
            return false;
        }
        b.reset(type, false);
        b.generation = generation;
        b.created = now;
        if (!mp.sendQueue.offer(b)) {
            mp.release(b);
            return false;
        }
        mp.lastQueued = now;
        return true;
    }

    /** Number of ports (sync_ports clamped to 1..64). */
    public int ports() {
        return ports.length;
    }

    /** The port entry {@code conn} of table {@code t} is sent on. */
    public int portOf(ConnTable t, int conn) {
        int h = ((conn << 1) | (t.af() == Af.INET6 ? 1 : 0)) * 0x9E37_79B1;
        return (h ^ (h >>> 16)) & portMask;
    }

    /** Messages waiting in port {@code port}'s send queue. Any thread (approximate while others run). */
    public int queued(int port) {
        return ports[port].sendQueue.size();
    }

    /** True when port {@code port} has a partly filled message. Engine thread. */
    public boolean hasPartial(int port) {
        return ports[port].current != null;
    }

    /** The effective sync_maxlen: the longest datagram, UVS trailer included. */
    public int maxlen() {
        return maxlen;
    }

    /** The daemon's options. */
    public SyncDaemonConfig config() {
        return config;
    }

    /** This master's counters. */
    public SyncMasterCounters counters() {
        return counters;
    }

    /**
     * Writes one entry into its port's message. Resync entries and live ones go into separate messages, so
     * that a backup can tell them apart; switching closes the current message, which keeps the port's order.
     *
     * @return {@link #APPENDED}, {@link #STOPPED} or {@link #NO_BUFFER}
     */
    private int append(ConnTable t, int c, int flags, int version, int now, boolean resync) {
        SyncEntry e = fill(t, c, flags, version);
        if (version == 1 && (flags & ConnFlags.TEMPLATE) != 0) {
            int len = engine.peData(t, c, e.peData);
            if (len > 0) {
                String pe = engine.peName(t, c);
                if (pe == null) {
                    // PE data without its engine or real server: the kernel stops here
                    counters.onPeDataInvalid();
                    return STOPPED;
                }
                e.peDataLength = len;
                e.peName(pe);
            }
        }
        MasterPort mp = ports[portOf(t, c)];
        SyncMessageWriter w = mp.writer;
        if (mp.current != null && (w.version() != version || mp.current.resync != resync)) {
            close(mp, now);
        }
        if (mp.current == null && !open(mp, version, now, resync)) {
            return NO_BUFFER;
        }
        if (w.tryAppend(e) == SyncAppendResult.FULL) {
            close(mp, now);
            if (!open(mp, version, now, resync)) {
                return NO_BUFFER;
            }
            // an empty message takes any entry
            w.tryAppend(e);
        }
        if (w.lastExpiresOffset() >= 0) {
            mp.expiryOffsets[mp.expiries] = w.lastExpiresOffset();
            mp.expiryJiffies[mp.expiries++] = t.expires(c);
        }
        counters.onEntry();
        return APPENDED;
    }

    private SyncEntry fill(ConnTable t, int c, int flags, int version) {
        SyncEntry e = entry;
        e.af = t.af();
        e.protocol = t.protocol(c);
        e.flags = flags & ~ConnFlags.HASHED;
        e.state = t.state(c);
        e.cport = t.cport(c);
        e.vport = t.vport(c);
        e.dport = t.dport(c);
        e.fwmark = t.fwmark(c);
        e.timeout = Jiffies.toSeconds(t.timeout(c));
        e.caddrHi = t.caddrHi(c);
        e.caddrLo = t.caddrLo(c);
        e.vaddrHi = t.vaddrHi(c);
        e.vaddrLo = t.vaddrLo(c);
        e.daddrHi = t.daddrHi(c);
        e.daddrLo = t.daddrLo(c);
        // the engine keeps no sequence-adjust data (no FTP NAT helper): zeros if a SEQ flag is ever set
        e.seq(0, 0, 0, 0, 0, 0);
        e.peDataLength = 0;
        e.peNameLength = 0;
        // reliable UVS peers get the time left, so that a backup expires the entry when this master does (an
        // IPVS backup re-arms the full timeout at each update, and templates outlive the master's by up to
        // that); only with every change of a template sent and delivered is that never too early. The value
        // is written by finish(), as the message leaves.
        e.expiresInMillis = version == 1 && config.reliable() ? 0 : -1;
        return e;
    }

    private boolean open(MasterPort mp, int version, int now, boolean resync) {
        SyncBuffer b = mp.acquire();
        if (b == null) {
            counters.onNoBuffer();
            return false;
        }
        b.reset(UvsTrailer.TYPE_DATA, resync);
        mp.writer.wrap(b.buffer, 0, writerMaxlen).start(version, config.syncid());
        mp.expiries = 0;
        b.created = now;
        mp.current = b;
        return true;
    }

    /** sb_queue_tail: queue the current message, or drop it when the queue is at sync_qlen_max. */
    private void close(MasterPort mp, int now) {
        SyncBuffer b = mp.current;
        finish(mp, b, now);
        if (running && mp.sendQueue.size() < tunables.syncQlenMax() && mp.sendQueue.offer(b)) {
            mp.lastQueued = now;
            counters.onQueued();
        } else {
            counters.onQueueDrop(b.entries);
            mp.release(b);
        }
    }

    private static void finish(MasterPort mp, SyncBuffer b, int now) {
        // the time left as the message leaves, not as each entry was written: a partly filled message waits
        // up to FLUSH_SECONDS, which would make a backup keep its entries that much longer
        for (int i = 0; i < mp.expiries; i++) {
            b.buffer.putInt(mp.expiryOffsets[i], Jiffies.toMillis(Math.max(0, mp.expiryJiffies[i] - now)),
                ByteOrder.BIG_ENDIAN);
        }
        mp.expiries = 0;
        b.length = mp.writer.finish();
        b.entries = mp.writer.entryCount();
        mp.current = null;
    }
}
