package uvs.ctl.health;

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
 * @param quorums at most one per virtual service, of a service that has checked real servers; a service
 *     without one has {@link ServiceQuorum#defaults}
 */
public record HealthConfig(List<HealthCheckConfig> checks, List<SorryServer> sorryServers,
                           List<ServiceQuorum> quorums) {
    /** Validates the whole set and copies the lists. */
    public HealthConfig {
        if (checks == null || sorryServers == null || quorums == null) {
            throw new IllegalArgumentException("checks, sorryServers and quorums must not be null (use empty lists)");
        }
        checks = List.copyOf(checks);
        sorryServers = List.copyOf(sorryServers);
        quorums = List.copyOf(quorums);
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
            if (!checked(checks, s.service())) {
                throw new IllegalArgumentException("sorry server " + s.label()
                    + " belongs to a service without checked real servers");
            }
        }
        Set<ServiceKey> withQuorum = new HashSet<>();
        for (ServiceQuorum q : quorums) {
            if (!withQuorum.add(q.service())) {
                throw new IllegalArgumentException("service " + q.service() + " has more than one quorum");
            }
            if (!checked(checks, q.service())) {
                throw new IllegalArgumentException("quorum of " + q.service()
                    + " belongs to a service without checked real servers");
            }
        }
    }

    /** Checks and sorry servers with the default quorum for every service. */
    public HealthConfig(List<HealthCheckConfig> checks, List<SorryServer> sorryServers) {
        this(checks, sorryServers, List.of());
    }

    /** The quorum of {@code service}: its own, else {@link ServiceQuorum#defaults}. */
    public ServiceQuorum quorum(ServiceKey service) {
        for (ServiceQuorum q : quorums) {
            if (q.service().equals(service)) {
                return q;
            }
        }
        return ServiceQuorum.defaults(service);
    }

    private static boolean checked(List<HealthCheckConfig> checks, ServiceKey service) {
        for (HealthCheckConfig c : checks) {
            if (c.service().equals(service)) {
                return true;
            }
        }
        return false;
    }

    private record Member(ServiceKey service, IpAddress address, int port) {
    }
}
