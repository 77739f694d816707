package uvs.core.svc;

/** Tunnel checksum mode ({@code --tun-nocsum / --tun-csum / --tun-remcsum}). */
public enum TunnelChecksum {
    /** No checksum (default). */
    NOCSUM,
    /** Outer checksum. */
    CSUM,
    /** Remote checksum offload (GUE only). */
    REMCSUM
}
