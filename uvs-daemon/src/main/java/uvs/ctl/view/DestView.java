package uvs.ctl.view;

import java.util.Objects;
import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;

/**
 * One real server of a service as ipvsadm lists it.
 *
 * @param address real server address
 * @param port real server port
 * @param config weight, forwarding method, tunnel options and thresholds
 * @param activeConns ActiveConn
 * @param inactConns InActConn
 * @param persistConns PersistConn (templates pointing here)
 * @param stats counters and rates
 */
public record DestView(IpAddress address, int port, RealServerConfig config, int activeConns, int inactConns,
                       int persistConns, StatsView stats) {
    /** Checks that nothing is missing and the port fits 16 bits. */
    public DestView {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(stats, "stats");
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("real server port " + port + " is out of range 0..65535");
        }
    }

    /** Weight. */
    public int weight() {
        return config.weight();
    }

    /** Forwarding method. */
    public ForwardMethod forward() {
        return config.forward();
    }
}
