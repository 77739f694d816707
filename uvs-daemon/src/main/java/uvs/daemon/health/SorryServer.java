package uvs.daemon.health;

import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;

/**
 * The server a virtual service falls back to while every checked real server of it is down
 * (keepalived {@code sorry_server}, ldirectord {@code fallback}): added then, removed when one comes back.
 *
 * @param service the virtual service
 * @param address sorry server address
 * @param port sorry server port
 * @param config its configuration while added (weight at least 1)
 */
public record SorryServer(ServiceKey service, IpAddress address, int port, RealServerConfig config) {
    /** Validates the fields. */
    public SorryServer {
        if (service == null || address == null || config == null) {
            throw new IllegalArgumentException("sorry server needs service, address and config");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sorry server port " + port + " out of range 0..65535");
        }
        if (config.weight() < 1 || config.weight() > RealServerConfig.MAX_WEIGHT) {
            throw new IllegalArgumentException("sorry server weight must be 1.." + RealServerConfig.MAX_WEIGHT
                + " (weight 0 takes no new connections), got " + config.weight());
        }
    }

    /** Weight 1 with {@code forward}, as keepalived and ldirectord add it. */
    public static SorryServer of(ServiceKey service, IpAddress address, int port, ForwardMethod forward) {
        return new SorryServer(service, address, port, RealServerConfig.of(1, forward));
    }

    /** {@code TCP 10.0.0.1:80 -> 10.0.9.9:80}, for logs. */
    public String label() {
        return service + " -> " + LogText.hostPort(address, port);
    }
}
