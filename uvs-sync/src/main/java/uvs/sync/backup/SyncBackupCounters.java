package uvs.sync.backup;

import uvs.core.SyncUpdate;
import uvs.sync.codec.SyncReceiveCounters;
import uvs.sync.ext.GapTracker;
import uvs.time.Jiffies;

/**
 * Counters of a sync backup: the receiver's message and entry counters ({@link #receive()}), what the
 * engine did with each accepted entry, and the UVS extensions' checks, losses, recoveries and resyncs.
 * Plain longs written by the backup's (engine) thread only.
 */
public final class SyncBackupCounters {
    private final SyncReceiveCounters receive = new SyncReceiveCounters();
    private final long[] results = new long[SyncUpdate.Result.values().length];
    private long datagrams;
    private long noTrailer;
    private long plainDatagrams;
    private long authFailures;
    private long replays;
    private long duplicates;
    private long outOfWindow;
    private long newMasters;
    private long mastersForgotten;
    private long lost;
    private long recovered;
    private long givenUp;
    private long nacksSent;
    private long replyErrors;
    private long resyncRequests;
    private long resyncsCompleted;
    private int lastResyncJiffies = -1;
    private long resyncEntries;

    /** Message and entry counters of the receiver (sizes, versions, drops and skips by reason). */
    public SyncReceiveCounters receive() {
        return receive;
    }

    /**
     * Datagrams whose IPVS size field covers the whole datagram: sent by a plain (Linux-compatible) master,
     * such as a Linux director, rather than by one using UVS's extensions.
     */
    public long plainDatagrams() {
        return plainDatagrams;
    }

    /** Datagrams taken from the transport. */
    public long datagrams() {
        return datagrams;
    }

    /** Entries that ended with {@code result}. */
    public long applied(SyncUpdate.Result result) {
        return results[result.ordinal()];
    }

    /** Entries that created a connection or template. */
    public long created() {
        return applied(SyncUpdate.Result.CREATED);
    }

    /** Entries that refreshed an existing one. */
    public long updated() {
        return applied(SyncUpdate.Result.UPDATED);
    }

    /** Entries that replaced a connection that had moved to another real server. */
    public long replaced() {
        return applied(SyncUpdate.Result.REPLACED);
    }

    /** Expiry notices of already replaced connections, ignored. */
    public long stale() {
        return applied(SyncUpdate.Result.IGNORED_STALE);
    }

    /** Entries of a protocol the engine does not handle. */
    public long ignoredProtocol() {
        return applied(SyncUpdate.Result.IGNORED_PROTOCOL);
    }

    /** Entries lost because the connection table was full. */
    public long tableFull() {
        return applied(SyncUpdate.Result.TABLE_FULL);
    }

    /** Extensions: datagrams without a trailer of this backup's mode (missing, garbled, another mode), dropped. */
    public long noTrailer() {
        return noTrailer;
    }

    /** Authenticated mode: datagrams whose HMAC did not verify, dropped. */
    public long authFailures() {
        return authFailures;
    }

    /** Authenticated mode: datagrams whose sequence number was seen or is too old for the window, dropped. */
    public long replays() {
        return replays;
    }

    /** Reliable mode: datagrams whose sequence number was already received or given up, dropped. */
    public long duplicates() {
        return duplicates;
    }

    /** Extensions: masters (sender ids) heard for the first time. */
    public long newMasters() {
        return newMasters;
    }

    /**
     * Reliable mode without authentication: datagrams refused because their sequence number was too far
     * ahead of the master's last one to be believed.
     */
    public long outOfWindow() {
        return outOfWindow;
    }

    /** Reliable mode: masters forgotten after five heartbeat intervals of silence. */
    public long mastersForgotten() {
        return mastersForgotten;
    }

    /** Reliable mode: sequence numbers found missing. */
    public long lost() {
        return lost;
    }

    /** Reliable mode: missing sequence numbers that arrived later (mostly retransmitted). */
    public long recovered() {
        return recovered;
    }

    /** Reliable mode: missing sequence numbers given up (then a resync is requested). */
    public long givenUp() {
        return givenUp;
    }

    /** Reliable mode: NACK datagrams sent. */
    public long nacksSent() {
        return nacksSent;
    }

    /** Reliable mode: NACKs and resync requests the transport refused. */
    public long replyErrors() {
        return replyErrors;
    }

    /** Reliable mode: RESYNC_REQUESTs sent, repeats included. */
    public long resyncRequests() {
        return resyncRequests;
    }

    /** Reliable mode: resyncs completed (a RESYNC_DONE naming this backup applied on every port). */
    public long resyncsCompleted() {
        return resyncsCompleted;
    }

    /** Reliable mode: duration of the last completed resync, from the first request, in ms; -1 before one. */
    public long lastResyncMillis() {
        return lastResyncJiffies < 0 ? -1 : lastResyncJiffies * 1000L / Jiffies.HZ;
    }

    /** Reliable mode: entries of resync messages handed to the engine. */
    public long resyncEntries() {
        return resyncEntries;
    }

    void onDatagram() {
        datagrams++;
    }

    void onPlainDatagram() {
        plainDatagrams++;
    }

    void onNoTrailer() {
        noTrailer++;
    }

    void onAuthFailure() {
        authFailures++;
    }

    void onReplay() {
        replays++;
    }

    void onDuplicate() {
        duplicates++;
    }

    void onOutOfWindow() {
        outOfWindow++;
    }

    void onNewMaster() {
        newMasters++;
    }

    void onMasterForgotten() {
        mastersForgotten++;
    }

    void onGaps(long newlyLost, long newlyRecovered, long newlyGivenUp) {
        lost = GapTracker.add(lost, newlyLost);
        recovered = GapTracker.add(recovered, newlyRecovered);
        givenUp = GapTracker.add(givenUp, newlyGivenUp);
    }

    void onNackSent() {
        nacksSent++;
    }

    void onReplyError() {
        replyErrors++;
    }

    void onResyncRequested() {
        resyncRequests++;
    }

    void onResyncCompleted(int durationJiffies) {
        resyncsCompleted++;
        lastResyncJiffies = durationJiffies;
    }

    void onResyncEntry() {
        resyncEntries++;
    }

    void onApplied(SyncUpdate.Result r) {
        results[r.ordinal()]++;
    }

    @Override
    public String toString() {
        return "SyncBackupCounters{datagrams=" + datagrams + ", created=" + created() + ", updated=" + updated()
            + ", replaced=" + replaced() + ", stale=" + stale() + ", ignoredProtocol=" + ignoredProtocol()
            + ", tableFull=" + tableFull() + ", plainDatagrams=" + plainDatagrams + ", noTrailer=" + noTrailer + ", authFailures=" + authFailures
            + ", replays=" + replays + ", duplicates=" + duplicates + ", outOfWindow=" + outOfWindow
            + ", newMasters=" + newMasters
            + ", mastersForgotten=" + mastersForgotten + ", lost=" + lost + ", recovered=" + recovered + ", givenUp="
            + givenUp + ", nacksSent=" + nacksSent + ", replyErrors=" + replyErrors + ", resyncRequests="
            + resyncRequests + ", resyncsCompleted=" + resyncsCompleted + ", lastResyncMillis=" + lastResyncMillis()
            + ", resyncEntries=" + resyncEntries + ", " + receive + "}";
    }
}
