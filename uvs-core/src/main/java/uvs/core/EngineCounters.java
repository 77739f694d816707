package uvs.core;

/** Engine-wide event counters (beyond the per-service statistics): drops by reason, table pressure. */
public final class EngineCounters {
    private final long[] drops = new long[DropReason.values().length];
    long notOurs;
    long connsCreated;
    long connsExpired;
    long templatesCreated;
    long templatesInvalidated;
    long connsRescheduled;

    void countDrop(DropReason r) {
        drops[r.ordinal()]++;
    }

    /** Packets dropped for {@code reason}. */
    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Packets that matched no service or connection. */
    public long notOurs() {
        return notOurs;
    }

    /** Connections created by the packet path (templates excluded). */
    public long connsCreated() {
        return connsCreated;
    }

    /** Entries (connections and templates) that expired or were deleted. */
    public long connsExpired() {
        return connsExpired;
    }

    /** Persistence templates created. */
    public long templatesCreated() {
        return templatesCreated;
    }

    /** Persistence templates invalidated (dest removed, or quiescent with expire_quiescent_template). */
    public long templatesInvalidated() {
        return templatesInvalidated;
    }

    /** Existing connections dropped and rescheduled by conn_reuse_mode or expire_nodest_conn. */
    public long connsRescheduled() {
        return connsRescheduled;
    }
}
