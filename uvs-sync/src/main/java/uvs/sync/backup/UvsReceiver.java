package uvs.sync.backup;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import uvs.sync.SyncDaemonConfig;
import uvs.sync.ext.GapTracker;
import uvs.sync.ext.UvsControl;
import uvs.sync.ext.UvsSeal;
import uvs.sync.ext.UvsTrailer;
import uvs.sync.transport.SyncTransport;
import uvs.time.Jiffies;

/**
 * The backup's side of the UVS extensions (docs/sync.md), on the engine's thread:
 * <ul>
 *   <li>every datagram must end in a trailer of the configured mode; with authentication its HMAC must
 *       verify and its sequence number must pass the replay window of its master and port (a late
 *       retransmission of a number still missing passes too). Refusals are counted by reason; in reliable
 *       mode a number already received counts as a duplicate, since retransmissions make repeats normal;</li>
 *   <li>reliable mode: each master's datagrams are followed per port ({@link OrderedStream}), missing ranges
 *       are asked for with NACKs to the master's socket every {@code nackRetryMillis}, and datagrams are
 *       applied in the master's order. A range given up (no answer after {@link GapTracker#MAX_REQUESTS}
 *       requests, too many ranges, more than the hold-back behind, or announced gone by the master) is
 *       skipped and a resync is requested;</li>
 *   <li>reliable mode: a master heard for the first time (a starting backup, a restarted master) is asked
 *       for a resync once it was heard on every port: a port's numbering is known only from the first
 *       datagram heard there, and a resync datagram lost before that could not be asked for again. The
 *       request is repeated after two heartbeat intervals without resync traffic from the master, and when a
 *       RESYNC_DONE arrives that does not name this backup. The resync is complete when a RESYNC_DONE
 *       naming this backup was applied on every port; its duration is recorded;</li>
 *   <li>up to {@value #MAX_MASTERS} masters are followed at once; a new one takes the slot of the one heard
 *       least recently, and in reliable mode a master silent for {@value #SILENT_HEARTBEATS} heartbeat
 *       intervals is forgotten;</li>
 *   <li>reliable mode without authentication: a sequence number at or beyond the hold-back ahead of the
 *       next one expected is refused (counted as out of window), not believed: one forged datagram must not
 *       make the real master's next datagrams look like duplicates. A master that really jumped that far is
 *       unheard until it is forgotten and then followed afresh, with a resync.</li>
 * </ul>
 * Allocation-free except for a stream's hold-back buffer, allocated when it first holds a datagram.
 */
final class UvsReceiver {
    /** Masters followed at once. */
    static final int MAX_MASTERS = 4;
    /** Heartbeat intervals of silence after which a master is forgotten (reliable mode). */
    static final int SILENT_HEARTBEATS = 5;

    private final SyncBackup backup;
    private final SyncTransport transport;
    private final SyncBackupCounters counters;
    private final UvsSeal seal;
    private final boolean reliable;
    private final boolean authenticated;
    private final int ownId;
    private final int ports;
    private final long allPorts;
    private final int retryJiffies;
    private final int heartbeatJiffies;
    private final MasterState[] masters = new MasterState[MAX_MASTERS];
    private final long[] replySeq;
    private final UnsafeBuffer tx;
    private final GapTracker.RangeSink nackSink = this::addNackRange;
    private int nackRanges;
    private int replies;

    UvsReceiver(SyncBackup backup, SyncDaemonConfig config, int ports, int maxlen, SyncTransport transport,
                SyncBackupCounters counters, int ownId) {
        this.backup = backup;
        this.transport = transport;
        this.counters = counters;
        this.seal = new UvsSeal(config.reliable(), config.authKey());
        this.reliable = config.reliable();
        this.authenticated = config.authenticated();
        this.ownId = ownId;
        this.ports = ports;
        this.allPorts = ports == 64 ? -1L : (1L << ports) - 1;
        this.retryJiffies = Math.max(1, (int) ((long) config.nackRetryMillis() * Jiffies.HZ / 1000));
        this.heartbeatJiffies = Math.max(1, (int) ((long) config.heartbeatMillis() * Jiffies.HZ / 1000));
        for (int i = 0; i < MAX_MASTERS; i++) {
            masters[i] = new MasterState(ports, reliable, config.holdBack(), maxlen);
        }
        this.replySeq = new long[ports];
        this.tx = new UnsafeBuffer(new byte[UvsControl.HEADER_LENGTH + GapTracker.MAX_RANGES * UvsControl.RANGE_LENGTH
            + seal.trailerLength()]);
    }

    /** Checks one received datagram and applies it, now or (reliable mode) once its predecessors are in. */
    void onDatagram(DirectBuffer b, int offset, int length, int port, int peer, int now) {
        int r = seal.open(b, offset, length);
        if (r == UvsSeal.BAD_MAC) {
            counters.onAuthFailure();
            return;
        }
        if (r == UvsSeal.NO_TRAILER) {
            counters.onNoTrailer();
            return;
        }
        int at = seal.trailerAt(offset, length);
        int type = UvsTrailer.type(b, at);
        long seq = UvsTrailer.seq(b, at);
        if (seq == Long.MAX_VALUE) {
            // no master counts that far, and the number after it would wrap: never believed
            counters.onOutOfWindow();
            return;
        }
        if (seq < 0 || type == UvsTrailer.TYPE_RESYNC_REQUEST) {
            // a request is a backup's: never on the group from a master
            counters.onNoTrailer();
            return;
        }
        int sender = UvsTrailer.sender(b, at);
        MasterState m = find(sender);
        boolean fresh = m == null;
        if (fresh) {
            m = admit(sender, now);
        }
        OrderedStream s = reliable ? m.streams[port] : null;
        if (s != null && s.gaps.expected() >= 0 && seq < s.gaps.expected() && !s.gaps.isMissing(seq)) {
            // received before (retransmissions make this normal) or given up
            counters.onDuplicate();
            return;
        }
        if (s != null && !authenticated && s.gaps.expected() >= 0 && seq - s.gaps.expected() >= s.capacity()) {
            // without a key anyone can send this: a jump beyond the hold-back is not believed. A master that
            // truly jumped that far goes unheard, is forgotten after SILENT_HEARTBEATS and resyncs afresh
            counters.onOutOfWindow();
            return;
        }
        if (authenticated && !m.windows[port].accept(seq) && (s == null || !s.gaps.isMissing(seq))) {
            counters.onReplay();
            return;
        }
        m.lastHeard = now;
        if (s == null) {
            if (type == UvsTrailer.TYPE_DATA) {
                backup.applyMessage(b, offset, at - offset, false);
            }
            return;
        }
        s.peer = peer;
        m.requestPort = port;
        m.requestPeer = peer;
        m.heardPorts |= 1L << port;
        if (fresh || m.resyncWanted) {
            requestResync(m, now);
        }
        if ((UvsTrailer.flags(b, at) & UvsTrailer.FLAG_RESYNC) != 0 || type == UvsTrailer.TYPE_RESYNC_DONE) {
            m.lastResyncActivity = now;
        }
        if (type == UvsTrailer.TYPE_NACK && UvsControl.wellFormed(b, offset, at - offset, UvsControl.RANGE_LENGTH)) {
            // the master no longer holds these: stop waiting for them
            int n = Math.min(UvsControl.count(b, offset), GapTracker.MAX_RANGES);
            for (int i = 0; i < n; i++) {
                s.gaps.giveUp(UvsControl.rangeFrom(b, offset, i), UvsControl.rangeTo(b, offset, i));
            }
        }
        s.gaps.onSeq(seq);
        account(m, s, now);
        order(m, s, port, b, offset, length, seq, now);
    }

    /**
     * Reliable mode timers: NACKs for due ranges, ranges given up, resync retries, silent masters.
     *
     * @return datagrams sent
     */
    int doWork(int now) {
        if (!reliable) {
            return 0;
        }
        int before = replies;
        for (MasterState m : masters) {
            if (!m.inUse) {
                continue;
            }
            if (now - m.lastHeard > SILENT_HEARTBEATS * heartbeatJiffies) {
                m.inUse = false;
                counters.onMasterForgotten();
                continue;
            }
            for (int port = 0; port < ports; port++) {
                OrderedStream s = m.streams[port];
                if (s.gaps.ranges() == 0) {
                    continue;
                }
                nackRanges = 0;
                s.gaps.due(now, retryJiffies, nackSink);
                if (nackRanges > 0) {
                    UvsControl.putCount(tx, 0, nackRanges);
                    int len = seal.seal(tx, 0, UvsControl.HEADER_LENGTH + nackRanges * UvsControl.RANGE_LENGTH,
                        UvsTrailer.TYPE_NACK, 0, ownId, replySeq[port]++);
                    reply(len, port, s.peer);
                    counters.onNackSent();
                }
                account(m, s, now);
                drain(m, s, port, Long.MAX_VALUE, now);
            }
            // two intervals: a lost RESYNC_DONE shows up by the next heartbeat and is recovered before
            if (m.resyncPending && now - m.lastRequest >= 2 * heartbeatJiffies
                && now - m.lastResyncActivity >= 2 * heartbeatJiffies) {
                sendRequest(m, now);
            }
        }
        return replies - before;
    }

    private void addNackRange(long from, long to) {
        UvsControl.putRange(tx, 0, nackRanges++, from, to);
    }

    /** Applies {@code seq} if it is next, else holds it; then applies whatever became next. */
    private void order(MasterState m, OrderedStream s, int port, DirectBuffer b, int offset, int length, long seq,
                       int now) {
        if (s.nextApply < 0) {
            s.nextApply = seq;
        }
        if (seq - s.nextApply >= s.capacity()) {
            // too far ahead to hold: give up what is missing before the window
            s.gaps.giveUpBelow(seq - s.capacity() + 1);
            account(m, s, now);
            drain(m, s, port, seq, now);
        }
        if (seq == s.nextApply) {
            deliver(m, port, b, offset, length, now);
            s.nextApply = seq + 1;
        } else {
            s.hold(seq, b, offset, length);
        }
        drain(m, s, port, Long.MAX_VALUE, now);
    }

    /** Applies held datagrams in order and skips given-up numbers, up to {@code limit} (exclusive). */
    private void drain(MasterState m, OrderedStream s, int port, long limit, int now) {
        while (s.nextApply >= 0 && s.nextApply < limit) {
            long n = s.nextApply;
            if (s.isHeld(n)) {
                deliver(m, port, s.slots(), s.offset(n), s.length(n), now);
                s.release(n);
                s.nextApply = n + 1;
                continue;
            }
            GapTracker g = s.gaps;
            if (n >= g.expected() || g.isMissing(n)) {
                return;
            }
            // given up: go on with whatever comes next
            long next = Math.min(Math.min(g.expected(), s.lowestHeld()), limit);
            long missing = g.firstMissing();
            s.nextApply = missing >= 0 ? Math.min(next, missing) : next;
        }
    }

    private void deliver(MasterState m, int port, DirectBuffer b, int offset, int length, int now) {
        int at = seal.trailerAt(offset, length);
        int type = UvsTrailer.type(b, at);
        if (type == UvsTrailer.TYPE_DATA) {
            backup.applyMessage(b, offset, at - offset, (UvsTrailer.flags(b, at) & UvsTrailer.FLAG_RESYNC) != 0);
        } else if (type == UvsTrailer.TYPE_RESYNC_DONE && m.resyncPending
            && UvsControl.wellFormed(b, offset, at - offset, UvsControl.ID_LENGTH)) {
            onDone(m, port, b, offset, now);
        }
    }

    private void onDone(MasterState m, int port, DirectBuffer b, int offset, int now) {
        int n = UvsControl.count(b, offset);
        for (int i = 0; i < n; i++) {
            if (UvsControl.id(b, offset, i) == ownId) {
                m.doneMask |= 1L << port;
                if (m.doneMask == allPorts) {
                    m.resyncPending = false;
                    counters.onResyncCompleted(now - m.resyncStarted);
                }
                return;
            }
        }
        // a walk for other backups: ours was lost or came too late
        if (now - m.lastRequest >= retryJiffies) {
            sendRequest(m, now);
        }
    }

    /** Adds what the gap tracker counted since last time; a give-up asks for a resync. */
    private void account(MasterState m, OrderedStream s, int now) {
        GapTracker g = s.gaps;
        counters.onGaps(g.lost() - s.countedLost, g.recovered() - s.countedRecovered, g.givenUp() - s.countedGivenUp);
        boolean gaveUp = g.givenUp() != s.countedGivenUp;
        s.countedLost = g.lost();
        s.countedRecovered = g.recovered();
        s.countedGivenUp = g.givenUp();
        if (gaveUp) {
            requestResync(m, now);
        }
    }

    private void requestResync(MasterState m, int now) {
        if (m.resyncPending) {
            return;
        }
        if (m.heardPorts != allPorts) {
            m.resyncWanted = true;
            return;
        }
        m.resyncWanted = false;
        m.resyncPending = true;
        m.resyncStarted = now;
        m.doneMask = 0;
        sendRequest(m, now);
    }

    private void sendRequest(MasterState m, int now) {
        int port = m.requestPort;
        int len = seal.seal(tx, 0, 0, UvsTrailer.TYPE_RESYNC_REQUEST, 0, ownId, replySeq[port]++);
        reply(len, port, m.requestPeer);
        m.lastRequest = now;
        counters.onResyncRequested();
    }

    private void reply(int length, int port, int peer) {
        replies++;
        if (transport.reply(tx, 0, length, port, peer) <= 0) {
            counters.onReplyError();
        }
    }

    private MasterState find(int sender) {
        for (MasterState m : masters) {
            if (m.inUse && m.senderId == sender) {
                return m;
            }
        }
        return null;
    }

    /** A slot for a master heard for the first time: a free one, else the one heard least recently. */
    private MasterState admit(int sender, int now) {
        MasterState slot = null;
        for (MasterState m : masters) {
            if (!m.inUse) {
                slot = m;
                break;
            }
            if (slot == null || now - m.lastHeard > now - slot.lastHeard) {
                slot = m;
            }
        }
        if (slot.inUse) {
            // pushed out by a new master: forgotten as surely as a silent one
            counters.onMasterForgotten();
        }
        slot.reset(sender, now);
        counters.onNewMaster();
        return slot;
    }
}
