/**
 * The sync backup: receives sync messages, validates them and applies their entries to the engine
 * ({@link uvs.sync.backup.SyncBackup}).
 */
package uvs.sync.backup;
