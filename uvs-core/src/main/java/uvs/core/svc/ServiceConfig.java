package uvs.core.svc;

/**
 * The settable parameters of a virtual service ({@code ipvsadm -A/-E}).
 *
 * @param scheduler scheduler name as given to {@code -s}
 * @param flags {@link ServiceFlags} bits: PERSISTENT, ONEPACKET, SCHED1..3
 * @param persistTimeout persistence timeout in seconds (used when PERSISTENT)
 * @param netmask persistence granularity: IPv4 netmask as a 32-bit value, or IPv6 prefix length
 * @param peName persistence engine name ("sip") or null
 */
public record ServiceConfig(String scheduler, int flags, int persistTimeout, int netmask, String peName) {
    /** ipvsadm's default persistence timeout (libipvs: 6*60 s). */
    public static final int DEFAULT_PERSIST_TIMEOUT = 360;
    /** Maximum persistence timeout ipvsadm accepts (31 days). */
    public static final int MAX_PERSIST_TIMEOUT = 2_678_400;

    /** A non-persistent service with the given scheduler, IPv4 full mask. */
    public static ServiceConfig of(String scheduler) {
        return new ServiceConfig(scheduler, 0, DEFAULT_PERSIST_TIMEOUT, 0xffff_ffff, null);
    }

    /** A persistent service (IPv4 full mask). */
    public static ServiceConfig persistent(String scheduler, int timeoutSeconds) {
        return new ServiceConfig(scheduler, ServiceFlags.PERSISTENT, timeoutSeconds, 0xffff_ffff, null);
    }

    /** True if PERSISTENT is set. */
    public boolean isPersistent() {
        return (flags & ServiceFlags.PERSISTENT) != 0;
    }

    /** True if one-packet scheduling is set. */
    public boolean isOnePacket() {
        return (flags & ServiceFlags.ONEPACKET) != 0;
    }

    /** Copy with other flags. */
    public ServiceConfig withFlags(int f) {
        return new ServiceConfig(scheduler, f, persistTimeout, netmask, peName);
    }

    /** Copy with another netmask / prefix length. */
    public ServiceConfig withNetmask(int mask) {
        return new ServiceConfig(scheduler, flags, persistTimeout, mask, peName);
    }

    /** Copy with a persistence engine. */
    public ServiceConfig withPe(String pe) {
        return new ServiceConfig(scheduler, flags, persistTimeout, netmask, pe);
    }
}
