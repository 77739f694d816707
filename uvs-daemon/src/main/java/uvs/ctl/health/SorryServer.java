package uvs.ctl.health;

import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;

/**
 * The server a virtual service falls back to while its quorum is lost ({@link ServiceQuorum}; by default:
 * while no checked real server of it is up) (keepalived {@code sorry_server}, ldirectord {@code fallback}).
 * It is not in the rules: the health checker adds it then, and removes it, or with {@code sorry_server_inhibit}
 * keeps it at weight 0, while it is not needed.
 *
 * @param service the virtual service
 * @param address sorry server address
 * @param port sorry server port (0 for a firewall-mark service)
 * @param config its configuration while needed (weight at least 1)
 * @param onRelease while not needed: removed, or kept quiescent at weight 0 (keepalived
 *     {@code sorry_server_inhibit}, ldirectord {@code quiescent=yes})
 */
public record SorryServer(ServiceKey service, IpAddress address, int port, RealServerConfig config,
                          FailureAction onRelease) {
    /** Validates the fields. */
    public SorryServer {
        if (service == null || address == null || config == null || onRelease == null) {
            throw new IllegalArgumentException("sorry server needs service, address, config and onRelease");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sorry server port " + port + " out of range 0..65535");
        }
        if (config.weight() < 1 || config.weight() > RealServerConfig.MAX_WEIGHT) {
            throw new IllegalArgumentException("sorry server weight must be 1.." + RealServerConfig.MAX_WEIGHT
                + " (weight 0 takes no new connections), got " + config.weight());
        }
    }

    /** Weight 1 with {@code forward}, removed while not needed, as keepalived adds it by default. */
    public static SorryServer of(ServiceKey service, IpAddress address, int port, ForwardMethod forward) {
        return new SorryServer(service, address, port, RealServerConfig.of(1, forward), FailureAction.REMOVE);
    }

    /** The configuration the engine should have: {@code config} when needed, else weight 0 or absent (null). */
    public RealServerConfig engineConfig(boolean needed) {
        if (needed) {
            return config;
        }
        return onRelease == FailureAction.QUIESCE ? config.withWeight(0) : null;
    }

    /** {@code TCP 10.0.0.1:80 -> 10.0.9.9:80}, for logs. */
    public String label() {
        return service + " -> " + address.withPort(port);
    }
}
