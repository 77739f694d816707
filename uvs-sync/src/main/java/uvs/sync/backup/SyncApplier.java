package uvs.sync.backup;

import uvs.core.SyncUpdate;

/** Where a backup's accepted sync entries go: the engine, or a router to the engine shard owning the client. */
@FunctionalInterface
public interface SyncApplier {
    /** Applies (or hands on) one entry; called on the backup's thread, must not allocate. */
    SyncUpdate.Result apply(SyncUpdate u);
}
