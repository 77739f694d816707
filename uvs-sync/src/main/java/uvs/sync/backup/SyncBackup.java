package uvs.sync.backup;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.core.Engine;
import uvs.core.SyncUpdate;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.codec.SyncEntry;
import uvs.sync.codec.SyncEntryHandler;
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
    private final SyncDaemonConfig config;
    private final SyncTransport transport;
    private final int ports;
    private final int maxlen;
    private final UnsafeBuffer rx;
    private final SyncMessageReader reader = new SyncMessageReader();
    private final SyncBackupCounters counters = new SyncBackupCounters();
    private final SyncUpdate update = new SyncUpdate();
    private final SyncEntryHandler applier = this::apply;
    private boolean running;

    /**
     * A backup on {@code transport}, with {@code min(sync_ports, 64)} ports read from the engine's tunables.
     *
     * @param deviceMtu MTU of the multicast interface (for the default sync_maxlen)
     * @throws IllegalArgumentException when {@code config} is not a backup's
     */
    public SyncBackup(Engine engine, SyncDaemonConfig config, SyncTransport transport, int deviceMtu) {
        if (config.state() != SyncDaemonConfig.State.BACKUP) {
            throw new IllegalArgumentException("sync backup needs a BACKUP config, got " + config.state());
        }
        if (transport == null) {
            throw new IllegalArgumentException("transport is null");
        }
        this.engine = engine;
        this.config = config;
        this.transport = transport;
        this.ports = Math.max(1, Math.min(engine.tunables().syncPorts(), 64));
        this.maxlen = config.syncMaxlen(deviceMtu);
        this.rx = new UnsafeBuffer(new byte[maxlen]);
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
     * Receives and applies waiting datagrams, at most {@value #DATAGRAMS_PER_PORT} per port. Engine thread;
     * allocation-free.
     *
     * @return the number of datagrams handled
     */
    public int doWork() {
        if (!running) {
            return 0;
        }
        int work = 0;
        for (int port = 0; port < ports; port++) {
            for (int k = 0; k < DATAGRAMS_PER_PORT; k++) {
                int n = transport.receive(rx, port);
                if (n == SyncTransport.NONE) {
                    break;
                }
                onDatagram(rx, 0, n);
                work++;
            }
        }
        return work;
    }

    /**
     * Validates and applies one datagram (as received, possibly truncated).
     *
     * @return entries applied
     */
    public int onDatagram(DirectBuffer buffer, int offset, int length) {
        counters.onDatagram();
        return reader.read(buffer, offset, length, config.syncid(), applier, counters.receive());
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
        u.caddrHi = e.caddrHi;
        u.caddrLo = e.caddrLo;
        u.vaddrHi = e.vaddrHi;
        u.vaddrLo = e.vaddrLo;
        u.daddrHi = e.daddrHi;
        u.daddrLo = e.daddrLo;
        int pe = Math.min(e.peDataLength, u.peData.length);
        System.arraycopy(e.peData, 0, u.peData, 0, pe);
        u.peDataLength = pe;
        counters.onApplied(engine.applySync(u));
    }
}
