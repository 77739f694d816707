package uvs.daemon.health;

import uvs.core.net.IpAddress;

/** Which addresses this host has configured (for keepalived's {@code ha_suspend}). */
@FunctionalInterface
public interface LocalAddresses {
    /** True when {@code address} is configured on one of this host's interfaces. */
    boolean has(IpAddress address);
}
