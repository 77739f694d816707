/**
 * The sync master: the "needed" rule ({@link uvs.sync.master.SyncNeeded}), the engine-thread side that
 * batches entries into per-port messages ({@link uvs.sync.master.SyncMaster}) and the sending side that
 * may run on its own thread ({@link uvs.sync.master.SyncSender}), joined by lock-free queues. In reliable
 * mode the engine side also sends heartbeats and walks the table for a resync, and the sending side
 * answers the backups' NACKs and resync requests.
 */
package uvs.sync.master;
