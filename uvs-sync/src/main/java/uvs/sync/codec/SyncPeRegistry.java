package uvs.sync.codec;

/**
 * The persistence engines registered on the backup (the kernel's {@code __ip_vs_pe_getbyname}). An entry
 * carrying PE data whose PE name is not registered is skipped. UVS implements one engine, "sip", so
 * {@link #SIP} is the backup's registry; the predicate form lets tests and future engines extend it.
 */
@FunctionalInterface
public interface SyncPeRegistry {
    /** The registry of a UVS backup: only "sip". */
    SyncPeRegistry SIP = (name, length) -> length == 3 && name[0] == 's' && name[1] == 'i' && name[2] == 'p';

    /**
     * Whether a PE of this name is registered.
     *
     * @param name   ASCII name bytes (no NUL)
     * @param length number of valid bytes in {@code name}, 0..16
     */
    boolean isKnown(byte[] name, int length);
}
