package uvs.core.svc;

import uvs.core.net.IpAddress;
import uvs.core.stats.Stats;

/**
 * A real server ("destination") of one virtual service: configuration, the kernel's connection
 * counters and statistics. Owned by the engine's thread: schedulers read it, the engine writes it.
 */
public final class RealServer {
    private final VirtualService service;
    private final IpAddress address;
    private final int port;
    private final int addrFold;
    private final Stats stats = new Stats();

    private int id = -1;
    private int weight;
    private int lastWeight;
    private ForwardMethod forward;
    private TunnelType tunnelType = TunnelType.IPIP;
    private int tunnelPort;
    private TunnelChecksum tunnelChecksum = TunnelChecksum.NOCSUM;
    private int upperThreshold;
    private int lowerThreshold;
    private int flags;
    private int activeConns;
    private int inactConns;
    private int persistConns;
    private int refs;
    private int trashedAt;

    /** A new real server of {@code service}; not yet in its list. */
    public RealServer(VirtualService service, IpAddress address, int port) {
        this.service = service;
        this.address = address;
        this.port = port;
        this.addrFold = address.fold();
    }

    /** Applies the configurable parameters (add or edit); maintains last_weight and OVERLOAD like the kernel. */
    public void configure(RealServerConfig cfg) {
        if (cfg.weight() != 0) {
            lastWeight = cfg.weight();
        }
        int oldUpper = upperThreshold;
        weight = cfg.weight();
        forward = cfg.forward();
        tunnelType = cfg.tunnelType();
        tunnelPort = cfg.tunnelPort();
        tunnelChecksum = cfg.tunnelChecksum();
        upperThreshold = cfg.upperThreshold();
        lowerThreshold = cfg.lowerThreshold();
        if (upperThreshold == 0 || upperThreshold > oldUpper) {
            flags &= ~DestFlags.OVERLOAD;
        }
    }

    /** The owning service. */
    public VirtualService service() {
        return service;
    }

    /** Real server address. */
    public IpAddress address() {
        return address;
    }

    /** Real server port. */
    public int port() {
        return port;
    }

    /** The kernel's 32-bit address fold (IPv4 value or XOR of IPv6 words), for hashing schedulers. */
    public int addrFold() {
        return addrFold;
    }

    /** Engine-wide id used by connection entries (-1 until registered). */
    public int id() {
        return id;
    }

    /** Sets the engine-wide id (engine use). */
    public void id(int id) {
        this.id = id;
    }

    /** Current weight (0 = quiescent). */
    public int weight() {
        return weight;
    }

    /** Most recent non-zero weight (used by mh). */
    public int lastWeight() {
        return lastWeight;
    }

    /** Forwarding method. */
    public ForwardMethod forward() {
        return forward;
    }

    /** Tunnel type (TUNNEL only). */
    public TunnelType tunnelType() {
        return tunnelType;
    }

    /** GUE port (GUE only). */
    public int tunnelPort() {
        return tunnelPort;
    }

    /** Tunnel checksum mode. */
    public TunnelChecksum tunnelChecksum() {
        return tunnelChecksum;
    }

    /** Upper connection threshold (0 = none). */
    public int upperThreshold() {
        return upperThreshold;
    }

    /** Lower connection threshold (0 = none). */
    public int lowerThreshold() {
        return lowerThreshold;
    }

    /** {@link DestFlags} bits. */
    public int flags() {
        return flags;
    }

    /** True while in its service's list. */
    public boolean isAvailable() {
        return (flags & DestFlags.AVAILABLE) != 0;
    }

    /** True while the upper threshold is reached. */
    public boolean isOverloaded() {
        return (flags & DestFlags.OVERLOAD) != 0;
    }

    /** Marks the server in or out of its service's list. */
    public void available(boolean on) {
        flags = on ? flags | DestFlags.AVAILABLE : flags & ~DestFlags.AVAILABLE;
    }

    /** Sets or clears OVERLOAD (engine and tests). */
    public void overloaded(boolean on) {
        flags = on ? flags | DestFlags.OVERLOAD : flags & ~DestFlags.OVERLOAD;
    }

    /** Active connections (ActiveConn). */
    public int activeConns() {
        return activeConns;
    }

    /** Inactive connections (InActConn). */
    public int inactConns() {
        return inactConns;
    }

    /** Persistence templates pointing here (PersistConn). */
    public int persistConns() {
        return persistConns;
    }

    /** Sets the counters directly (tests and schedulers' unit tests). */
    public void counters(int active, int inactive, int persist) {
        this.activeConns = active;
        this.inactConns = inactive;
        this.persistConns = persist;
    }

    /** Adds to the active counter. */
    public void addActive(int delta) {
        activeConns += delta;
    }

    /** Adds to the inactive counter. */
    public void addInactive(int delta) {
        inactConns += delta;
    }

    /** Adds to the persistent counter. */
    public void addPersist(int delta) {
        persistConns += delta;
    }

    /** The kernel's load measure for lc/wlc/lblc/lblcr/twos: activeconns * 256 + inactconns. */
    public int overhead() {
        return (activeConns << 8) + inactConns;
    }

    /** Connection entries that reference this server. */
    public int refs() {
        return refs;
    }

    /** Adds to the reference count. */
    public void addRefs(int delta) {
        refs += delta;
    }

    /** Jiffies when the server was deleted (meaningful while in the trash). */
    public int trashedAt() {
        return trashedAt;
    }

    /** Records when the server went to the trash. */
    public void trashedAt(int jiffies) {
        this.trashedAt = jiffies;
    }

    /** Statistics. */
    public Stats stats() {
        return stats;
    }

    @Override
    public String toString() {
        return address.withPort(port);
    }
}
