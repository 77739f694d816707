package uvs.sync.backup;

import java.net.SocketAddress;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.Engine;
import uvs.core.SyncUpdate;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.codec.SyncEntry;
import uvs.sync.codec.SyncEntryHandler;
import uvs.sync.codec.SyncMessageHeader;
import uvs.sync.codec.SyncMessageReader;
import uvs.sync.transport.SyncTransport;
import uvs.time.Jiffies;

/**
 * A sync backup daemon (the kernel's sync_thread_backup + ip_vs_process_message + ip_vs_proc_conn, spec §1.6
 * and §3): takes datagrams from a {@link SyncTransport}, validates them with the backup's syncid and
 * applies every accepted entry to the engine with {@link Engine#applySync}.
 *
 * <p><b>Threads.</b> Everything runs on the engine's thread: {@link #doWork()} polls the transport without
 * blocking and handles at most {@value #DATAGRAMS_PER_PORT} datagrams per port and call, so a flood cannot
 * starve the packet path. In production the socket reads belong on a receiver thread that fills a lock-free
 * ring which this method drains: wrap the socket transport in a
 * {@link uvs.sync.transport.ReceiveRingTransport} and run that on the receiver thread.
 *
 * <p><b>Size.</b> Datagrams are received into a buffer of exactly the backup's sync_maxlen
 * ({@link SyncDaemonConfig#syncMaxlen(int)}); a longer one is truncated by the transport and then fails the
 * size check, so the backup's maxlen must be at least the master's.
 *
 * <p><b>UVS extensions.</b> With reliable and/or authenticated mode configured, every datagram must carry
 * the UVS trailer of that mode and is checked and, in reliable mode, put in order, recovered with NACKs and
 * completed by resyncs before it is applied ({@link UvsReceiver}; docs/sync.md). Replies go back through
 * the transport's reply path. Call {@link #doWork()} every cycle even when nothing arrives: it also runs the
 * NACK and resync timers, on engine time ({@link Engine#nowJiffies()}, so run the engine's own
 * {@code doWork} first in the cycle).
 *
 * <p><b>Not applied.</b> Sequence-adjust data is read but not kept (the engine has no NAT sequence
 * adjustment). A timeout above {@value #MAX_TIMEOUT_SECONDS} s is clamped to it (the kernel clamps to its
 * own maximum), so that expiry times stay within the engine's wrap-safe jiffies range.
 */
public final class SyncBackup {
    /** Datagrams handled per port in one {@link #doWork()} call. */
    public static final int DATAGRAMS_PER_PORT = 64;
    /** Largest timeout applied: half the jiffies range, about 49 days. */
    public static final int MAX_TIMEOUT_SECONDS = Integer.MAX_VALUE / Jiffies.HZ / 2;

    private final Engine engine;
    private SyncApplier target;
    private final SyncDaemonConfig config;
    private final SyncTransport transport;
    private final int ports;
    private final int maxlen;
    private final UnsafeBuffer rx;
    private final SyncMessageReader reader = new SyncMessageReader();
    private final SyncBackupCounters counters = new SyncBackupCounters();
    private final SyncUpdate update = new SyncUpdate();
    private final SyncEntryHandler applier = this::apply;
    private final UvsReceiver ext;
    private boolean applyingResync;
    private int appliedNow;
    private boolean running;
    private SocketAddress plainSender;

    /**
     * A backup on {@code transport}, with {@code min(sync_ports, 64)} ports read from the engine's tunables.
     *
     * @param deviceMtu MTU of the multicast interface (for the default sync_maxlen)
     * @throws IllegalArgumentException when {@code config} is not a backup's
     */
    public SyncBackup(Engine engine, SyncDaemonConfig config, SyncTransport transport, int deviceMtu) {
        this(engine, config, transport, deviceMtu, new SecureRandom().nextInt());
    }

    /**
     * A backup with an explicit sender id for its NACKs and resync requests (random otherwise; given here for
     * reproducible tests and simulations).
     *
     * @param deviceMtu MTU of the multicast interface (for the default sync_maxlen)
     * @throws IllegalArgumentException when {@code config} is not a backup's
     */
    public SyncBackup(Engine engine, SyncDaemonConfig config, SyncTransport transport, int deviceMtu, int senderId) {
        if (config.state() != SyncDaemonConfig.State.BACKUP) {
            throw new IllegalArgumentException("sync backup needs a BACKUP config, got " + config.state());
        }
        if (transport == null) {
            throw new IllegalArgumentException("transport is null");
        }
        this.engine = engine;
        this.target = engine::applySync;
        this.config = config;
        this.transport = transport;
        this.ports = Math.max(1, Math.min(engine.tunables().syncPorts(), 64));
        this.maxlen = config.syncMaxlen(deviceMtu);
        this.rx = new UnsafeBuffer(new byte[maxlen]);
        this.ext = config.extended() ? new UvsReceiver(this, config, ports, maxlen, transport, counters, senderId)
            : null;
    }

    /**
     * Sends accepted entries through {@code a} instead of straight to the engine (a sharded director routes
     * each entry to the shard that owns its client). Call before {@link #start}.
     */
    public void applyVia(SyncApplier a) {
        target = a;
    }

    /** Tells the engine a backup runs (for backup_only) and starts receiving. */
    public void start() {
        running = true;
        engine.backupRunning(true);
    }

    /** Stops receiving; entries already applied stay until they time out. */
    public void stop() {
        running = false;
        engine.backupRunning(false);
    }

    /**
     * Receives and applies waiting datagrams, at most {@value #DATAGRAMS_PER_PORT} per port; with the
     * extensions also sends due NACKs and resync requests. Engine thread; allocation-free (a reliable
     * backup allocates a stream's hold-back buffer once, when it first holds a datagram).
     *
     * @return the number of datagrams handled and sent
     */
    public int doWork() {
        if (!running) {
            return 0;
        }
        int now = engine.nowJiffies();
        int work = 0;
        for (int port = 0; port < ports; port++) {
            for (int k = 0; k < DATAGRAMS_PER_PORT; k++) {
                int n = transport.receive(rx, port);
                if (n == SyncTransport.NONE) {
                    break;
                }
                onDatagram(rx, 0, n, port, transport.source(port), now);
                work++;
            }
        }
        if (ext != null) {
            work += ext.doWork(now);
        }
        return work;
    }

    /**
     * Validates and applies one datagram (as received, possibly truncated) of port 0, from the transport's
     * first peer.
     *
     * @return entries applied by this call
     */
    public int onDatagram(DirectBuffer buffer, int offset, int length) {
        return onDatagram(buffer, offset, length, 0, 0, engine.nowJiffies());
    }

    /**
     * Validates and applies one datagram received on {@code port} from transport peer {@code peer}: the IPVS
     * checks, preceded by the extensions' checks and ordering when they are configured (then a datagram
     * longer than the backup's sync_maxlen is cut to it, as a socket receive would cut it).
     *
     * @return entries applied by this call (in reliable mode also those of held datagrams it released)
     * @throws IllegalArgumentException when {@code port} is not one of the backup's ports
     */
    public int onDatagram(DirectBuffer buffer, int offset, int length, int port, int peer, int nowJiffies) {
        if (port < 0 || port >= ports) {
            throw new IllegalArgumentException("sync port index " + port + " outside 0.." + (ports - 1));
        }
        counters.onDatagram();
        appliedNow = 0;
        if (isPlain(buffer, offset, length)) {
            counters.onPlainDatagram();
            // a reference to the transport's own address object: nothing allocated
            plainSender = transport.peerAddress(peer);
        }
        if (ext == null) {
            reader.read(buffer, offset, length, config.syncid(), applier, counters.receive());
        } else {
            ext.onDatagram(buffer, offset, Math.min(length, maxlen), port, peer, nowJiffies);
        }
        return appliedNow;
    }

    /**
     * True if the IPVS size field (v0 and v1 keep it at the same place) covers the whole datagram, as in
     * every plain master's datagram; UVS's extensions append a trailer beyond it.
     */
    static boolean isPlain(DirectBuffer b, int offset, int length) {
        return length >= SyncMessageHeader.V0_LENGTH
            && (b.getShort(offset + SyncMessageHeader.SIZE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff) == length;
    }

    /**
     * The address of the last plain sender heard ({@link SyncBackupCounters#plainDatagrams()}), or null when
     * none was heard or the transport does not know addresses. Engine thread.
     */
    public SocketAddress plainSender() {
        return plainSender;
    }

    /** The IPVS message {@code [offset, offset + length)} of an accepted UVS datagram: checks and applies it. */
    void applyMessage(DirectBuffer buffer, int offset, int length, boolean resync) {
        applyingResync = resync;
        reader.read(buffer, offset, length, config.syncid(), applier, counters.receive());
        applyingResync = false;
    }

    /** Number of ports received on. */
    public int ports() {
        return ports;
    }

    /** The receive buffer size: the backup's effective sync_maxlen. */
    public int maxlen() {
        return maxlen;
    }

    /** The daemon's options. */
    public SyncDaemonConfig config() {
        return config;
    }

    /** This backup's counters. */
    public SyncBackupCounters counters() {
        return counters;
    }

    private void apply(SyncEntry e) {
        SyncUpdate u = update;
        u.af = e.af;
        u.protocol = e.protocol;
        u.flags = e.flags;
        u.state = e.state;
        u.cport = e.cport;
        u.vport = e.vport;
        u.dport = e.dport;
        u.fwmark = e.fwmark;
        // the wire carries an unsigned 32-bit count of seconds
        u.timeoutSeconds = Integer.compareUnsigned(e.timeout, MAX_TIMEOUT_SECONDS) > 0 ? MAX_TIMEOUT_SECONDS : e.timeout;
        u.expiresInMillis = e.expiresInMillis;
        u.caddrHi = e.caddrHi;
        u.caddrLo = e.caddrLo;
        u.vaddrHi = e.vaddrHi;
        u.vaddrLo = e.vaddrLo;
        u.daddrHi = e.daddrHi;
        u.daddrLo = e.daddrLo;
        int pe = Math.min(e.peDataLength, u.peData.length);
        System.arraycopy(e.peData, 0, u.peData, 0, pe);
        u.peDataLength = pe;
        counters.onApplied(target.apply(u));
        appliedNow++;
        if (applyingResync) {
            counters.onResyncEntry();
        }
    }
}
