package uvs.ctl.model;

import java.util.List;
import java.util.Objects;
import uvs.core.net.IpAddress;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.importer.SourceLocation;

/**
 * A virtual service as configured.
 *
 * @param key protocol, address and port, or firewall mark
 * @param config scheduler, flags, persistence and persistence engine
 * @param realServers its real servers in the order they were added (the engine lists the newest first)
 * @param at where it was last set, or null
 */
public record ServiceSpec(ServiceKey key, ServiceConfig config, List<RealServerSpec> realServers, SourceLocation at) {
    /** Keeps an immutable copy. */
    public ServiceSpec {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(config, "config");
        realServers = List.copyOf(realServers);
    }

    /** The real server at {@code address:port}, or null. */
    public RealServerSpec realServer(IpAddress address, int port) {
        for (RealServerSpec r : realServers) {
            if (r.port() == port && r.address().equals(address)) {
                return r;
            }
        }
        return null;
    }

    /** This service and its real servers without locations. */
    public ServiceSpec withoutLocations() {
        return new ServiceSpec(key, config, realServers.stream().map(RealServerSpec::withoutLocation).toList(), null);
    }
}
