package uvs.sync.codec;

/** Receives the entries a {@link SyncMessageReader} accepts, one call per entry. */
@FunctionalInterface
public interface SyncEntryHandler {
    /**
     * Called for every accepted entry. The instance is reused for the next entry: copy what must be kept.
     *
     * @param entry the decoded entry, flags already masked as the backup applies them
     */
    void onEntry(SyncEntry entry);
}
