package uvs.daemon.health;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uvs.core.net.IpAddress;
import uvs.core.svc.ServiceKey;

/**
 * Every health check and sorry server of a director: what the keepalived/ldirectord importers and uvsd's
 * configuration produce. One check per real server of a service.
 *
 * @param checks the checked real servers
 * @param sorryServers at most one per virtual service, of a service that has checked real servers
 */
public record HealthConfig(List<HealthCheckConfig> checks, List<SorryServer> sorryServers) {
    /** Validates the whole set and copies the lists. */
    public HealthConfig {
        if (checks == null || sorryServers == null) {
            throw new IllegalArgumentException("checks and sorryServers must not be null (use empty lists)");
        }
        checks = List.copyOf(checks);
        sorryServers = List.copyOf(sorryServers);
        Set<Member> reals = new HashSet<>();
        for (HealthCheckConfig c : checks) {
            if (!reals.add(new Member(c.service(), c.address(), c.port()))) {
                throw new IllegalArgumentException("real server " + c.label() + " has more than one health check");
            }
        }
        Map<ServiceKey, SorryServer> sorry = new HashMap<>();
        for (SorryServer s : sorryServers) {
            if (sorry.putIfAbsent(s.service(), s) != null) {
                throw new IllegalArgumentException("service " + s.service() + " has more than one sorry server");
            }
            if (reals.contains(new Member(s.service(), s.address(), s.port()))) {
                throw new IllegalArgumentException("sorry server " + s.label() + " is also a checked real server");
            }
            boolean checked = false;
            for (HealthCheckConfig c : checks) {
                checked |= c.service().equals(s.service());
            }
            if (!checked) {
                throw new IllegalArgumentException("sorry server " + s.label()
                    + " belongs to a service without checked real servers");
            }
        }
    }

    private record Member(ServiceKey service, IpAddress address, int port) {
    }
}
