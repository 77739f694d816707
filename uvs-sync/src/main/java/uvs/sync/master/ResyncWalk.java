package uvs.sync.master;

import java.util.concurrent.atomic.AtomicLong;
import uvs.core.Engine;
import uvs.core.conn.ConnFlags;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpProto;
import uvs.core.proto.Protocols;
import uvs.core.tune.Tunables;
import uvs.sync.ext.UvsTrailer;

/**
 * Reliable mode, master side: the startup bulk resync (conntrackd's StartupResync). A backup's
 * RESYNC_REQUEST, taken by the sender's thread, bumps the resync generation; the engine's thread then walks
 * the IPv4 and the IPv6 connection tables from the start, at most {@code perCycle} entries per
 * {@link SyncMaster#doWork(int)} call, and writes every template and every connection in a synced state as
 * resync DATA, then queues a RESYNC_DONE of that generation on every port. A request arriving during a walk
 * restarts it from the beginning, so that every requester gets a complete table before the RESYNC_DONE
 * that names it.
 *
 * <p>Synced states are the master rule's (spec §2.3): TCP ESTABLISHED, FIN_WAIT, CLOSE, CLOSE_WAIT and
 * TIME_WAIT; SCTP ESTABLISHED, SHUTDOWN_* and CLOSED; UDP always. One-packet connections are never sent, with
 * {@code sync_persist_mode} connections under a template are not, and v0 carries IPv4 only.
 */
final class ResyncWalk {
    private static final int TABLE_V4 = 0;
    private static final int TABLE_V6 = 1;
    private static final int TABLES_DONE = 2;

    private final SyncMaster master;
    private final Engine engine;
    private final Tunables tunables;
    private final int perCycle;
    private final SyncMasterCounters counters;
    private final long allPorts;
    /** Written by the sender's thread, read by the engine's. */
    private final AtomicLong requested = new AtomicLong();
    private long serving;
    private boolean walking;
    private int table;
    private int cursor;
    private long donePending;

    ResyncWalk(SyncMaster master, Engine engine, int perCycle, SyncMasterCounters counters) {
        this.master = master;
        this.engine = engine;
        this.tunables = engine.tunables();
        this.perCycle = perCycle;
        this.counters = counters;
        int ports = master.ports();
        this.allPorts = ports == 64 ? -1L : (1L << ports) - 1;
    }

    /** Sender thread: asks for a (new) walk; returns the generation that will answer it. */
    long request() {
        return requested.incrementAndGet();
    }

    /** Engine thread: true while walking or while a RESYNC_DONE still waits for a buffer. */
    boolean active() {
        return walking || donePending != 0;
    }

    /** Engine thread: advances the walk by up to {@code perCycle} entries; returns the work done. */
    int step(int now) {
        long g = requested.get();
        if (g != serving) {
            serving = g;
            walking = true;
            table = TABLE_V4;
            cursor = 0;
            donePending = 0;
            counters.onResyncStarted();
        }
        int work = walking ? walk(now) : 0;
        for (int port = 0; donePending != 0 && port < 64; port++) {
            long bit = 1L << port;
            if ((donePending & bit) != 0 && master.queueControl(port, UvsTrailer.TYPE_RESYNC_DONE, serving, now)) {
                donePending &= ~bit;
                work++;
                if (donePending == 0) {
                    counters.onResyncCompleted();
                }
            }
        }
        return work;
    }

    private int walk(int now) {
        int version = tunables.syncVersion() == 0 ? 0 : 1;
        int visited = 0;
        while (visited < perCycle) {
            if (table == TABLE_V6 && version == 0) {
                // v0 carries IPv4 only
                table = TABLES_DONE;
            }
            if (table == TABLES_DONE) {
                walking = false;
                master.closeAll(now);
                donePending = allPorts;
                return visited + 1;
            }
            ConnTable t = table == TABLE_V4 ? engine.conns4() : engine.conns6();
            int c = t.next(cursor);
            if (c == ConnTable.NONE) {
                table++;
                cursor = 0;
                continue;
            }
            visited++;
            if (synced(t, c)) {
                // a full queue or pool pauses the walk at this entry until a later cycle
                if (!master.resyncRoom(t, c) || master.appendResync(t, c, version, now) == SyncMaster.NO_BUFFER) {
                    return visited;
                }
            }
            cursor = c + 1;
        }
        return visited;
    }

    /** True if entry {@code c} is one a backup should hold. */
    private boolean synced(ConnTable t, int c) {
        int flags = t.flags(c);
        if ((flags & ConnFlags.ONE_PACKET) != 0) {
            return false;
        }
        if ((flags & ConnFlags.TEMPLATE) != 0) {
            return true;
        }
        if (tunables.syncPersistMode() != 0 && SyncNeeded.inPersistence(t, c)) {
            return false;
        }
        int proto = t.protocol(c);
        return (proto != IpProto.TCP && proto != IpProto.SCTP) || Protocols.get(proto).isSyncState(t.state(c));
    }
}
