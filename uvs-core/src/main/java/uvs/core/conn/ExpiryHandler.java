package uvs.core.conn;

/**
 * What {@link ConnTable#expire} calls for each entry whose timer is due (the kernel's timer function
 * ip_vs_conn_expire). Implemented once by the engine, so expiry allocates nothing.
 */
@FunctionalInterface
public interface ExpiryHandler {
    /**
     * Handles one due entry. The handler may {@link ConnTable#free free} it, {@link ConnTable#arm re-arm} it
     * for a later time, or leave it, in which case it fires again on the next tick.
     */
    void onExpire(int id);
}
