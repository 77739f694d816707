package uvs.sync.codec;

/**
 * Why a backup dropped a sync message, or the rest of it (entries before the fault are kept). The kernel's
 * negative results of ip_vs_proc_sync_conn are given in brackets.
 */
public enum SyncDropReason {
    /** Datagram shorter than the 4-byte v0 header. */
    TOO_SHORT,
    /** Datagram length differs from the header's size field. */
    SIZE_MISMATCH,
    /** Backup syncid is not 0 and differs from the message's. */
    SYNCID_MISMATCH,
    /** Fewer bytes left than an entry needs (v1: 36 bytes or the declared size; v0: 24 or 48). */
    TRUNCATED_ENTRY,
    /** v1 entry format version (ver_size bits 15..12) is not 0. */
    BAD_ENTRY_VERSION,
    /** v1 type byte is neither 0 nor has the IPv6 bit [-10]. */
    BAD_TYPE,
    /** v1 entry size is smaller than its fixed part [-20]. */
    BAD_ENTRY_SIZE,
    /** v1 option header or data runs past the entry end [-30, -40 (data part)]. */
    TRUNCATED_OPTION,
    /** v1 option of length 0 [-40], SEQ_DATA not 24 bytes, PE_NAME over 16 bytes, a known option twice [-50..-70]. */
    BAD_OPTION;

    /** Number of reasons. */
    public static final int COUNT = values().length;
}
