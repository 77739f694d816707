package uvs.ctl.model;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.importer.SourceLocation;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.HealthCheckConfig;
import uvs.ctl.health.ServiceQuorum;
import uvs.ctl.health.SorryServer;

/**
 * The health check one real server should have, typed: what the importers produce and the health checker
 * runs. Its {@link CheckKind} carries the kind's own settings (keepalived's {@code ha_suspend} is a
 * {@link CheckKind.WhileLocal} around the check); nothing here is a keyword string.
 *
 * @param at the line that defines the check
 * @param service the virtual service
 * @param address the real server checked
 * @param port its port in the rules
 * @param weight the weight the real server has while up
 * @param kind what the check does, with its settings (several checkers of one server: {@link CheckKind.AllOf})
 * @param timing when it runs; its warm-up is the upper bound each start draws below
 * @param onFailure what a failure does to the real server
 * @param startDown the server starts down until its first success (keepalived {@code alpha})
 * @param connectAddress the address checked when it is not the real server's, or null
 * @param connectPort the port checked when it is not the real server's, or 0
 * @param bindAddress the checks' source address, or null for the routing table's choice
 * @param sorry the service's sorry server, or null
 * @param quorum the service's quorum when the file sets one, else null (quorum 1, no hysteresis)
 */
public record CheckSpec(SourceLocation at, ServiceKey service, IpAddress address, int port, int weight,
                        CheckKind kind, CheckTiming timing, FailureAction onFailure, boolean startDown,
                        IpAddress connectAddress, int connectPort, IpAddress bindAddress, SorryServer sorry,
                        ServiceQuorum quorum) {
    /** Checks the values. */
    public CheckSpec {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(onFailure, "onFailure");
        if (port < 0 || port > 65_535 || connectPort < 0 || connectPort > 65_535) {
            throw new IllegalArgumentException("port outside 0..65535 at " + at);
        }
        if (weight < 0 || weight > RealServerConfig.MAX_WEIGHT) {
            throw new IllegalArgumentException("weight " + weight + " outside 0.." + RealServerConfig.MAX_WEIGHT
                + " at " + at);
        }
    }

    /**
     * The health checker's configuration with the real server's settings {@code rs} (at this check's weight);
     * the warm-up is drawn from {@code random} between 0 and the configured one, as keepalived does each time
     * it starts its checkers, so that checks of many servers do not all start at once.
     */
    public HealthCheckConfig config(RealServerConfig rs, RandomGenerator random) {
        CheckTiming t = timing.withWarmup(timing.warmup().isZero() ? Duration.ZERO
            : Duration.ofNanos(random.nextLong(timing.warmup().toNanos() + 1)));
        return new HealthCheckConfig(service, address, port, rs.withWeight(weight), kind, t, onFailure, startDown,
            connectAddress, connectPort, bindAddress);
    }
}
