package uvs.sync.codec;

/** Outcome of {@link SyncMessageWriter#tryAppend}. */
public enum SyncAppendResult {
    /** The entry was added to the message. */
    APPENDED,
    /** The entry does not fit (or the message already has 255 entries): send this message, start a new one. */
    FULL,
    /** Version 0 carries IPv4 only: the entry is not sent at all (the kernel's v0 path skips it). */
    IPV6_NOT_IN_V0
}
