package uvs.ctl.importer;

import java.util.Objects;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServerConfig;

/**
 * The server a service falls back to when its real servers are down (keepalived sorry_server, ldirectord
 * fallback). It is not in the rules: the health checker adds it when needed.
 *
 * @param address its address
 * @param port its port (0 for a firewall-mark service)
 * @param config weight, forwarding method and tunnel settings it is added with
 * @param onRelease what happens to it when a real server is up again
 */
public record SorryServer(IpAddress address, int port, RealServerConfig config, FailureAction onRelease) {
    /** Checks the values. */
    public SorryServer {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(onRelease, "onRelease");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
    }
}
