package uvs.core;

import uvs.core.conn.ConnTable;

/**
 * Told when the engine removes a connection entry (expiry, deletion, flush), just before its slot is freed, so
 * that whoever keeps something per connection outside the engine (the XDP fast path's flow map) drops it. Called
 * on the engine's thread; must not block, allocate or touch the engine.
 */
@FunctionalInterface
public interface ConnectionRemovalHook {
    /** Entry {@code conn} of {@code table} is being removed; its fields can still be read. */
    void onRemoved(ConnTable table, int conn);
}
