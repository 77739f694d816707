/**
 * The sync backup: receives sync messages, validates them and applies their entries to the engine
 * ({@link uvs.sync.backup.SyncBackup}); with the UVS extensions it first checks their trailer and HMAC and,
 * in reliable mode, puts them in order, asks for missing ones and for resyncs.
 */
package uvs.sync.backup;
