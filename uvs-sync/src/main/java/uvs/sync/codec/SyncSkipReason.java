package uvs.sync.codec;

/** Why a backup skipped one sync entry and went on with the next (the kernel's positive results). */
public enum SyncSkipReason {
    /** IPv6 entry while IPv6 is disabled on the backup (kernel without IPv6 IPVS). */
    IPV6_UNSUPPORTED,
    /** v1 option of unknown type without the optional bit 0x40. */
    UNKNOWN_OPTION,
    /** Non-template entry whose protocol has no IPVS state machine (only TCP, UDP, SCTP have one). */
    UNKNOWN_PROTOCOL,
    /** Non-template entry whose state is not below the protocol's state count. */
    BAD_STATE,
    /** PE_DATA without PE_NAME. */
    PE_DATA_WITHOUT_NAME,
    /** PE_DATA with a PE name that is not registered on the backup. */
    UNKNOWN_PE;

    /** Number of reasons. */
    public static final int COUNT = values().length;
}
