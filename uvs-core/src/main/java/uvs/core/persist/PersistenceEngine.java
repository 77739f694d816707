package uvs.core.persist;

import uvs.core.PacketHeader;

/**
 * A persistence engine (the kernel's ip_vs_pe): derives extra template key data ("PE data") from a
 * packet, so that one client can hold several templates (for SIP: one per Call-ID). Called on the
 * engine's thread for connection-creating packets; must not allocate.
 */
public interface PersistenceEngine {
    /** Maximum PE data length (IP_VS_PEDATA_MAXLEN). */
    int MAX_DATA = 255;

    /** Name as given to {@code --pe} and carried in sync PE_NAME options. */
    String name();

    /**
     * Writes the packet's PE data into {@code out} (at least {@link #MAX_DATA} bytes) and returns its
     * length, or -1 when the packet carries none (the kernel then drops the packet).
     */
    int extract(PacketHeader p, byte[] out);
}
