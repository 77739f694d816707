package uvs.sync.backup;

import uvs.core.SyncUpdate;
import uvs.sync.codec.SyncReceiveCounters;

/**
 * Counters of a sync backup: the receiver's message and entry counters ({@link #receive()}) and what the
 * engine did with each accepted entry. Plain longs written by the backup's (engine) thread only.
 */
public final class SyncBackupCounters {
    private final SyncReceiveCounters receive = new SyncReceiveCounters();
    private final long[] results = new long[SyncUpdate.Result.values().length];
    private long datagrams;

    /** Message and entry counters of the receiver (sizes, versions, drops and skips by reason). */
    public SyncReceiveCounters receive() {
        return receive;
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

    void onDatagram() {
        datagrams++;
    }

    void onApplied(SyncUpdate.Result r) {
        results[r.ordinal()]++;
    }

    @Override
    public String toString() {
        return "SyncBackupCounters{datagrams=" + datagrams + ", created=" + created() + ", updated=" + updated()
            + ", replaced=" + replaced() + ", stale=" + stale() + ", ignoredProtocol=" + ignoredProtocol()
            + ", tableFull=" + tableFull() + ", " + receive + "}";
    }
}
