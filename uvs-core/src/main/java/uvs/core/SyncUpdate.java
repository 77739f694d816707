package uvs.core;

import uvs.core.net.Af;
import uvs.core.persist.PersistenceEngine;

/**
 * One connection entry received from a sync master, as the backup applies it (spec §3): a reusable
 * struct filled by the sync receiver and passed to {@link Engine#applySync}. Addresses use the
 * {@link PacketHeader} convention (IPv4 in the low 32 bits of the {@code *Lo} fields).
 */
public final class SyncUpdate {
    /** Address family. */
    public int af = Af.INET;
    /** IP protocol (0 for fwmark templates). */
    public int protocol;
    /** Connection flags as received (already masked by the wire format's rules; SYNC is added). */
    public int flags;
    /** Protocol state (templates: 0 NONE / 1 ASSURED). */
    public int state;
    /** Client port (0 for templates). */
    public int cport;
    /** Virtual port. */
    public int vport;
    /** Real-server port. */
    public int dport;
    /** Firewall mark (0 in v0). */
    public int fwmark;
    /** Full state timeout in seconds, or 0 when the message carries none (v0). */
    public int timeoutSeconds;
    /**
     * Milliseconds until the master's timer for this entry fires (sent by UVS masters in reliable mode), or
     * -1: then the entry is armed for receive time + timeout, as IPVS does.
     */
    public int expiresInMillis = -1;
    /** Client address, high half. */
    public long caddrHi;
    /** Client address, low half. */
    public long caddrLo;
    /** Virtual address (or fwmark for fwmark templates), high half. */
    public long vaddrHi;
    /** Virtual address, low half. */
    public long vaddrLo;
    /** Real-server address, high half. */
    public long daddrHi;
    /** Real-server address, low half. */
    public long daddrLo;
    /** Persistence-engine data of a template (e.g. a SIP Call-ID); {@link #peDataLength} bytes are valid. */
    public final byte[] peData = new byte[PersistenceEngine.MAX_DATA];
    /** Length of {@link #peData}; 0 when the entry carries none. */
    public int peDataLength;

    /** What {@link Engine#applySync} did with an entry. */
    public enum Result {
        /** A new connection or template was created. */
        CREATED,
        /** An existing entry was refreshed. */
        UPDATED,
        /** An existing entry went to another real server: it was replaced by a new one. */
        REPLACED,
        /** The expiry notice of an entry already replaced: ignored. */
        IGNORED_STALE,
        /** The protocol is not handled. */
        IGNORED_PROTOCOL,
        /** The connection table is full. */
        TABLE_FULL,
        /** Passed to the engine shard that owns the client, which applies it on its own thread. */
        HANDED_OFF,
        /** The owning shard's inbox was full: the entry was lost (the next sync of the connection brings it). */
        INBOX_FULL
    }
}
