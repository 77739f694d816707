package uvs.ctl.model;

import java.util.Objects;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServerConfig;
import uvs.ctl.importer.SourceLocation;

/**
 * A real server of a service as configured.
 *
 * @param address its address
 * @param port its port
 * @param config weight, forwarding method, tunnel settings and thresholds
 * @param at where it was last set, or null
 */
public record RealServerSpec(IpAddress address, int port, RealServerConfig config, SourceLocation at) {
    /** Checks the values. */
    public RealServerSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(config, "config");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** True when {@code other} is the same server (address and port). */
    public boolean sameServer(RealServerSpec other) {
        return port == other.port && address.equals(other.address);
    }

    /** This server without its location (for comparing configurations, not where they were written). */
    public RealServerSpec withoutLocation() {
        return at == null ? this : new RealServerSpec(address, port, config, null);
    }
}
