package uvs.core;

import uvs.core.conn.ConnTable;
import uvs.core.svc.RealServer;

/**
 * The engine's answer for one packet: a reusable struct filled by {@link Engine#process}; one per worker,
 * never allocated per packet. For {@link Verdict#FORWARD} the data plane sends the packet to
 * {@code daddr:dport} with the method in {@code connFlags & FWD_MASK}; for {@link Verdict#FORWARD_REPLY}
 * it rewrites the source to {@code vaddr:vport}.
 */
public final class Decision {
    /** The verdict. */
    public Verdict verdict = Verdict.NOT_OURS;
    /** Why, when dropped. */
    public DropReason dropReason = DropReason.NONE;
    /** The connection table holding the connection (IPv4 or IPv6), or null. */
    public ConnTable table;
    /** Connection id in {@link #table}, or {@link ConnTable#NONE} (one-packet connections have none). */
    public int conn = ConnTable.NONE;
    /** The real server, or null (unbound synced connection, or no connection). */
    public RealServer dest;
    /** Connection flags (forwarding method in the low 3 bits). */
    public int connFlags;
    /** Real server address, high half. */
    public long daddrHi;
    /** Real server address, low half. */
    public long daddrLo;
    /** Real server port. */
    public int dport;
    /** Virtual address, high half. */
    public long vaddrHi;
    /** Virtual address, low half. */
    public long vaddrLo;
    /** Virtual port. */
    public int vport;
    /** True if this packet created the connection. */
    public boolean newConnection;

    /** Resets to "not ours". */
    public Decision clear() {
        verdict = Verdict.NOT_OURS;
        dropReason = DropReason.NONE;
        table = null;
        conn = ConnTable.NONE;
        dest = null;
        connFlags = 0;
        daddrHi = 0;
        daddrLo = 0;
        dport = 0;
        vaddrHi = 0;
        vaddrLo = 0;
        vport = 0;
        newConnection = false;
        return this;
    }

    /** Sets a drop verdict with its reason. */
    Decision drop(DropReason reason) {
        verdict = Verdict.DROP;
        dropReason = reason;
        return this;
    }
}
