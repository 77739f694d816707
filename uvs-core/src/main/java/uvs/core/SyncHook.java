package uvs.core;

import uvs.core.conn.ConnTable;

/**
 * Where the engine hands connections to a sync master (ip_vs_sync_conn). Installed only while a master
 * daemon runs; called on the engine's thread and must not block or allocate.
 */
public interface SyncHook {
    /**
     * An input packet was processed for {@code conn} (after its state transition), or a template's timer
     * fired while it still controls connections.
     *
     * @param pkts the packet count the "needed" rule tests: the connection's new in_pkts, or
     *     sync_threshold for one-packet connections and template expiry
     */
    void onSync(ConnTable table, int conn, int pkts);
}
