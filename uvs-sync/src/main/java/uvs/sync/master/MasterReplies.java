package uvs.sync.master;

import org.agrona.concurrent.UnsafeBuffer;
import uvs.sync.ext.GapTracker;
import uvs.sync.ext.ReplayWindow;
import uvs.sync.ext.RetransmitRing;
import uvs.sync.ext.UvsControl;
import uvs.sync.ext.UvsSeal;
import uvs.sync.ext.UvsTrailer;
import uvs.sync.transport.SyncTransport;

/**
 * Reliable mode, master side, on the sender's thread: takes the backups' unicast datagrams, checks their
 * trailer, HMAC and (authenticated mode) replay window per backup and port, and serves them:
 * <ul>
 *   <li>NACK: every asked-for datagram still in the port's {@link RetransmitRing} is sent again, unchanged, to
 *       the group; the asked-for numbers the ring no longer holds are announced in a NACK of the master's own
 *       (a "gone" notice, with a new sequence number), after which a backup asks for a resync;</li>
 *   <li>RESYNC_REQUEST: the backup joins the list of requesters and, unless it is already on it, a new walk
 *       of the table starts ({@link ResyncWalk}). Each RESYNC_DONE names the requesters it answers; a
 *       requester leaves the list once a RESYNC_DONE naming it went out on every port.</li>
 * </ul>
 * Allocation-free after construction.
 */
final class MasterReplies {
    /** Backups waiting for a resync at most; further requests are ignored until one is answered. */
    static final int MAX_REQUESTERS = 16;
    /** Replay windows kept (per backup and port); the least recently used is reused. */
    static final int MAX_WINDOWS = 16;
    private static final int BATCH = 16;
    private static final int MAX_DATAGRAM = 65535;

    private final SyncMaster master;
    private final MasterPort[] ports;
    private final SyncTransport transport;
    private final UvsSeal seal;
    private final SyncMasterCounters counters;
    private final int senderId;
    private final boolean authenticated;
    private final UnsafeBuffer rx = new UnsafeBuffer(new byte[MAX_DATAGRAM]);
    private final UnsafeBuffer tx = new UnsafeBuffer(new byte[MAX_DATAGRAM]);
    private final int[] requesterIds = new int[MAX_REQUESTERS];
    private final long[] requesterGenerations = new long[MAX_REQUESTERS];
    private int requesters;
    private final int[] windowIds = new int[MAX_WINDOWS];
    private final int[] windowPorts = new int[MAX_WINDOWS];
    private final long[] windowUsed = new long[MAX_WINDOWS];
    private final ReplayWindow[] windows = new ReplayWindow[MAX_WINDOWS];
    private int windowCount;
    private long useClock;
    private final long[] goneFrom = new long[GapTracker.MAX_RANGES];
    private final long[] goneTo = new long[GapTracker.MAX_RANGES];

    MasterReplies(SyncMaster master, MasterPort[] ports, SyncTransport transport, UvsSeal seal,
                  SyncMasterCounters counters) {
        this.master = master;
        this.ports = ports;
        this.transport = transport;
        this.seal = seal;
        this.counters = counters;
        this.senderId = master.senderId();
        this.authenticated = master.config().authenticated();
        for (int i = 0; i < MAX_WINDOWS; i++) {
            windows[i] = new ReplayWindow();
        }
    }

    /** Takes and serves up to a batch of backup datagrams per port; returns how many. */
    int poll() {
        int work = 0;
        for (int port = 0; port < ports.length; port++) {
            for (int k = 0; k < BATCH; k++) {
                int n = transport.receiveReply(rx, port);
                if (n == SyncTransport.NONE) {
                    break;
                }
                onReply(n, port);
                work++;
            }
        }
        return work;
    }

    private void onReply(int length, int port) {
        int r = seal.open(rx, 0, length);
        if (r != UvsSeal.OK) {
            if (r == UvsSeal.BAD_MAC) {
                counters.onReplyAuthFailure();
            } else {
                counters.onBadReply();
            }
            return;
        }
        int at = seal.trailerAt(0, length);
        int type = UvsTrailer.type(rx, at);
        int backup = UvsTrailer.sender(rx, at);
        if (type == UvsTrailer.TYPE_NACK && UvsControl.wellFormed(rx, 0, at, UvsControl.RANGE_LENGTH)) {
            if (replayed(backup, port, UvsTrailer.seq(rx, at))) {
                return;
            }
            counters.onNackReceived();
            answer(port, Math.min(UvsControl.count(rx, 0), GapTracker.MAX_RANGES));
        } else if (type == UvsTrailer.TYPE_RESYNC_REQUEST && at == 0) {
            if (replayed(backup, port, UvsTrailer.seq(rx, at))) {
                return;
            }
            counters.onResyncRequest();
            join(backup);
        } else {
            counters.onBadReply();
        }
    }

    /** Authenticated mode: true (and counted) when the backup's sequence number was seen or is too old. */
    private boolean replayed(int backup, int port, long seq) {
        if (!authenticated || window(backup, port).accept(seq)) {
            return false;
        }
        counters.onReplyReplay();
        return true;
    }

    private ReplayWindow window(int backup, int port) {
        useClock++;
        int lru = 0;
        for (int i = 0; i < windowCount; i++) {
            if (windowIds[i] == backup && windowPorts[i] == port) {
                windowUsed[i] = useClock;
                return windows[i];
            }
            if (windowUsed[i] < windowUsed[lru]) {
                lru = i;
            }
        }
        int i = windowCount < MAX_WINDOWS ? windowCount++ : lru;
        windowIds[i] = backup;
        windowPorts[i] = port;
        windowUsed[i] = useClock;
        windows[i].reset();
        return windows[i];
    }

    /** Sends again what the ring holds of the NACK's {@code count} ranges; announces the rest as gone. */
    private void answer(int port, int count) {
        MasterPort mp = ports[port];
        RetransmitRing ring = mp.ring;
        long last = mp.nextSeq - 1;
        long oldest = Math.max(0, mp.nextSeq - ring.capacity());
        int gone = 0;
        for (int j = 0; j < count; j++) {
            long from = UvsControl.rangeFrom(rx, 0, j);
            long to = Math.min(UvsControl.rangeTo(rx, 0, j), last);
            if (from < 0 || from > to) {
                // nothing the master sent: ignore
                continue;
            }
            if (from < oldest) {
                goneFrom[gone] = from;
                goneTo[gone] = Math.min(to, oldest - 1);
                gone++;
                from = oldest;
            }
            for (long s = from; s <= to; s++) {
                int len = ring.copy(s, tx, 0);
                if (len > 0 && transport.send(tx, 0, len, port) > 0) {
                    counters.onRetransmitted();
                }
            }
        }
        if (gone > 0) {
            sendGone(mp, port, gone);
        }
    }

    /** The master's own NACK: these numbers are no longer held (the backup then asks for a resync). */
    private void sendGone(MasterPort mp, int port, int gone) {
        long n = 0;
        UvsControl.putCount(tx, 0, gone);
        for (int i = 0; i < gone; i++) {
            UvsControl.putRange(tx, 0, i, goneFrom[i], goneTo[i]);
            n += goneTo[i] - goneFrom[i] + 1;
        }
        counters.onGone(n);
        long seq = mp.nextSeq++;
        int len = seal.seal(tx, 0, UvsControl.HEADER_LENGTH + gone * UvsControl.RANGE_LENGTH, UvsTrailer.TYPE_NACK,
            0, senderId, seq);
        mp.ring.store(seq, tx, 0, len);
        if (transport.send(tx, 0, len, port) > 0) {
            counters.onControlSent();
        }
    }

    /** A backup asks for the whole table: a new walk unless it is already waiting for one. */
    private void join(int backup) {
        for (int i = 0; i < requesters; i++) {
            if (requesterIds[i] == backup) {
                return;
            }
        }
        if (requesters == MAX_REQUESTERS) {
            return;
        }
        requesterIds[requesters] = backup;
        requesterGenerations[requesters] = master.requestResync();
        requesters++;
    }

    /**
     * Writes the body of a RESYNC_DONE of {@code generation} for {@code port} at index 0 of {@code b}: the
     * requesters that walk answers. Forgets requesters answered on every port.
     *
     * @return the body length
     */
    int writeDone(UnsafeBuffer b, long generation, int port) {
        int n = 0;
        for (int i = 0; i < requesters; i++) {
            if (requesterGenerations[i] <= generation) {
                UvsControl.putId(b, 0, n++, requesterIds[i]);
            }
        }
        UvsControl.putCount(b, 0, n);
        ports[port].doneGeneration = generation;
        long everywhere = generation;
        for (MasterPort p : ports) {
            everywhere = Math.min(everywhere, p.doneGeneration);
        }
        int kept = 0;
        for (int i = 0; i < requesters; i++) {
            if (requesterGenerations[i] > everywhere) {
                requesterIds[kept] = requesterIds[i];
                requesterGenerations[kept] = requesterGenerations[i];
                kept++;
            }
        }
        requesters = kept;
        return UvsControl.HEADER_LENGTH + n * UvsControl.ID_LENGTH;
    }
}
