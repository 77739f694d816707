package uvs.ctl.importer;

/** What happens to a real server that fails its check (or a sorry server no longer needed). */
public enum FailureAction {
    /** Weight 0: no new connections, established ones (and persistence templates) stay. */
    QUIESCE,
    /** The real server is deleted from the service. */
    REMOVE
}
