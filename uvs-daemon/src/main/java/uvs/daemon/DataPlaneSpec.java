package uvs.daemon;

import java.util.List;
import uvs.core.net.IpAddress;

/**
 * The packet data plane uvsd runs ({@code uvsd --interface IF}).
 *
 * @param iface the interface whose frames the director reads and sends
 * @param announce addresses answered for with ARP/ND from the start (VRRP-style VIPs, the NAT gateway)
 * @param burst frames per burst
 * @param workers data-plane workers, each with its own engine shard, in one PACKET_FANOUT group
 */
public record DataPlaneSpec(String iface, List<IpAddress> announce, int burst, int workers) {
    /** Default frames per burst. */
    public static final int DEFAULT_BURST = 64;
    /** Most workers on one interface. */
    public static final int MAX_WORKERS = 64;

    /** Validates. */
    public DataPlaneSpec {
        if (iface == null || iface.isBlank() || iface.length() > 15) {
            throw new IllegalArgumentException("--interface needs an interface name of 1..15 characters, got '" + iface + "'");
        }
        announce = List.copyOf(announce);
        if (burst < 1 || burst > 1024) {
            throw new IllegalArgumentException("burst must be 1..1024, got " + burst);
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("--workers must be 1.." + MAX_WORKERS + ", got " + workers);
        }
    }
}
