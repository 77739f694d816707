package uvs.ctl.model;

import java.util.List;
import java.util.Objects;
import uvs.core.net.IpAddress;
import uvs.net.bpf.FastPathMap;
import uvs.net.dataplane.PendingFrames;

/**
 * The packet data plane uvsd runs ({@code uvsd --interface IF [--interface IF2 ...]}).
 *
 * @param interfaces the interfaces whose frames the director reads and sends, each packet leaving by the one
 *     its next hop is reached through
 * @param announce addresses answered for with ARP/ND from the start (VRRP-style VIPs, the NAT gateway)
 * @param burst frames per burst
 * @param workers data-plane workers, each with its own engine shard and one port per interface; the ports of
 *     an interface form one PACKET_FANOUT group
 * @param queueLength frames kept per next hop whose MAC is being resolved (the kernel's {@code unres_qlen})
 * @param io the packet port: AF_PACKET, AF_XDP or the best that works ({@code uvsd --io})
 * @param fastPath whether UVS's BPF program forwards established connections itself: in XDP over AF_XDP ports,
 *     at tcx over AF_PACKET ones ({@code uvsd --fast-path})
 * @param fastPathEntries entries of the fast path's flow map, one per flow direction
 *     ({@code --fast-path-entries})
 */
public record DataPlaneSpec(List<String> interfaces, List<IpAddress> announce, int burst, int workers,
                            int queueLength, PacketIoChoice io, FastPathChoice fastPath, int fastPathEntries) {
    /** Default frames per burst. */
    public static final int DEFAULT_BURST = 64;
    /** Most workers. */
    public static final int MAX_WORKERS = 64;
    /** Most data-plane interfaces. */
    public static final int MAX_INTERFACES = 16;

    /** Most fast-path map entries. */
    public static final int MAX_FAST_PATH_ENTRIES = 1 << 24;

    /** Validates. */
    public DataPlaneSpec {
        interfaces = List.copyOf(interfaces);
        if (interfaces.isEmpty() || interfaces.size() > MAX_INTERFACES) {
            throw new IllegalArgumentException("--interface: 1.." + MAX_INTERFACES + " interfaces, got "
                + interfaces.size());
        }
        for (String iface : interfaces) {
            if (iface == null || iface.isBlank() || iface.length() > 15) {
                throw new IllegalArgumentException("--interface needs an interface name of 1..15 characters, got '"
                    + iface + "'");
            }
        }
        if (interfaces.stream().distinct().count() != interfaces.size()) {
            throw new IllegalArgumentException("--interface: an interface is named twice in " + interfaces);
        }
        announce = List.copyOf(announce);
        Objects.requireNonNull(io, "io");
        if (burst < 1 || burst > 1024) {
            throw new IllegalArgumentException("burst must be 1..1024, got " + burst);
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("--workers must be 1.." + MAX_WORKERS + ", got " + workers);
        }
        if (queueLength < 0 || queueLength > PendingFrames.MAX_QUEUE_LENGTH) {
            throw new IllegalArgumentException("--unres-qlen must be 0.." + PendingFrames.MAX_QUEUE_LENGTH + ", got "
                + queueLength);
        }
        Objects.requireNonNull(fastPath, "fastPath");
        if (fastPathEntries < 1 || fastPathEntries > MAX_FAST_PATH_ENTRIES) {
            throw new IllegalArgumentException("--fast-path-entries must be 1.." + MAX_FAST_PATH_ENTRIES + ", got "
                + fastPathEntries);
        }
    }

    /** A data plane with the XDP fast path's defaults ({@code --fast-path auto}, 262144 entries). */
    public DataPlaneSpec(List<String> interfaces, List<IpAddress> announce, int burst, int workers, int queueLength,
                         PacketIoChoice io) {
        this(interfaces, announce, burst, workers, queueLength, io, FastPathChoice.AUTO, FastPathMap.DEFAULT_ENTRIES);
    }

    /** A data plane on AF_PACKET ports. */
    public DataPlaneSpec(List<String> interfaces, List<IpAddress> announce, int burst, int workers, int queueLength) {
        this(interfaces, announce, burst, workers, queueLength, PacketIoChoice.AF_PACKET);
    }

    /** The interfaces as an operator wrote them ({@code eth0,eth1}). */
    public String names() {
        return String.join(",", interfaces);
    }
}
