package uvs.ctl.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import uvs.core.net.IpAddress;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.tune.SysctlFile;
import uvs.ctl.health.HealthCheckConfig;
import uvs.ctl.health.HealthConfig;
import uvs.ctl.health.ServiceQuorum;
import uvs.ctl.health.SorryServer;
import uvs.sync.SyncDaemonConfig;

/**
 * The whole desired configuration of a director, immutable: its services with their real servers, the
 * protocol timeouts, the sync daemons, the health checks of its real servers (with each service's sorry
 * server and quorum), the tunables and the data-plane settings. Every front end (rules file, keepalived.conf,
 * ldirectord.cf, and uvsd's own files through {@code DaemonFiles}) produces one; {@link ConfigValidator}
 * checks it, {@link Reconciler} brings an engine's services and timeouts to it, the tunables are applied as
 * they are and the checks run in the health checker ({@link #healthConfig}). The data-plane settings are
 * start-time settings: a running director cannot move to others without a restart, so a reload applies
 * everything else and names each one that differs ({@code StartSettings}).
 *
 * @param services the services in the order they were defined
 * @param timeouts the timeouts to set, or null to leave them
 * @param flush true when the configuration says to clear every service first ({@code -C}, keepalived's
 *              {@code lvs_flush}); the services here are the whole table either way
 * @param syncDaemons the sync daemons to run ({@link SyncDaemonConfig} is already an immutable, validated
 *                    record; it is the spec)
 * @param checks the health checks, one per checked real server, in file order
 * @param tunables the sysctl settings to apply, or null to leave them
 * @param dataPlane the packet data plane (interfaces, I/O, workers, queue length, announced addresses), or
 *                  null for a control plane only; fixed for the life of the process
 */
public record DirectorConfig(List<ServiceSpec> services, Timeouts timeouts, boolean flush,
                             List<SyncDaemonConfig> syncDaemons, List<CheckSpec> checks, SysctlFile tunables,
                             DataPlaneSpec dataPlane) {
    /** No services, timeouts left alone, no sync daemons. */
    public static final DirectorConfig EMPTY = new DirectorConfig(List.of(), null, false, List.of());

    /** Keeps immutable copies. */
    public DirectorConfig {
        services = List.copyOf(services);
        syncDaemons = List.copyOf(Objects.requireNonNullElse(syncDaemons, List.of()));
        checks = List.copyOf(Objects.requireNonNullElse(checks, List.of()));
    }

    /** Services, timeouts and sync daemons, without checks or tunables. */
    public DirectorConfig(List<ServiceSpec> services, Timeouts timeouts, boolean flush,
                          List<SyncDaemonConfig> syncDaemons) {
        this(services, timeouts, flush, syncDaemons, List.of(), null, null);
    }

    /** Only these services. */
    public static DirectorConfig of(List<ServiceSpec> services) {
        return new DirectorConfig(services, null, false, List.of());
    }

    /** The services by key. */
    public Map<ServiceKey, ServiceSpec> byKey() {
        Map<ServiceKey, ServiceSpec> m = HashMap.newHashMap(services.size());
        for (ServiceSpec s : services) {
            m.putIfAbsent(s.key(), s);
        }
        return m;
    }

    /** The service of {@code key}, or null. */
    public ServiceSpec service(ServiceKey key) {
        for (ServiceSpec s : services) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** How many real servers, in all services. */
    public int realServerCount() {
        int n = 0;
        for (ServiceSpec s : services) {
            n += s.realServers().size();
        }
        return n;
    }

    /** This configuration with these sync daemons. */
    public DirectorConfig withSyncDaemons(List<SyncDaemonConfig> daemons) {
        return new DirectorConfig(services, timeouts, flush, daemons, checks, tunables, dataPlane);
    }

    /** This configuration with these health checks. */
    public DirectorConfig withChecks(List<CheckSpec> specs) {
        return new DirectorConfig(services, timeouts, flush, syncDaemons, specs, tunables, dataPlane);
    }

    /** This configuration with these tunables (null: leave them). */
    public DirectorConfig withTunables(SysctlFile sysctl) {
        return new DirectorConfig(services, timeouts, flush, syncDaemons, checks, sysctl, dataPlane);
    }

    /** This configuration with this data plane (null: control plane only). */
    public DirectorConfig withDataPlane(DataPlaneSpec spec) {
        return new DirectorConfig(services, timeouts, flush, syncDaemons, checks, tunables, spec);
    }

    /**
     * The health checker's configuration of {@link #checks()}: each real server's method, tunnel settings and
     * thresholds come from {@link #services()} (a checked server not in them gets direct routing), its
     * warm-up is drawn from {@code random} below the configured bound. Pure: it reads no engine.
     */
    public HealthConfig healthConfig(RandomGenerator random) {
        Map<ServiceKey, Map<RealServerKey, RealServerConfig>> dests = HashMap.newHashMap(services.size());
        for (ServiceSpec s : services) {
            Map<RealServerKey, RealServerConfig> rs = dests.computeIfAbsent(s.key(), k -> new HashMap<>());
            for (RealServerSpec r : s.realServers()) {
                rs.putIfAbsent(new RealServerKey(r.address(), r.port()), r.config());
            }
        }
        List<HealthCheckConfig> out = new ArrayList<>(checks.size());
        Map<ServiceKey, ServiceQuorum> quorums = new LinkedHashMap<>();
        for (CheckSpec c : checks) {
            RealServerConfig d = dests.getOrDefault(c.service(), Map.of()).get(new RealServerKey(c.address(), c.port()));
            out.add(c.config(d == null ? RealServerConfig.of(c.weight(), ForwardMethod.ROUTE) : d.withWeight(c.weight()),
                random));
            if (c.quorum() != null) {
                quorums.putIfAbsent(c.service(), c.quorum());
            }
        }
        return new HealthConfig(out, new ArrayList<>(sorryServers().values()), new ArrayList<>(quorums.values()));
    }

    private record RealServerKey(IpAddress address, int port) {
    }

    /** The sorry server of each service that has one, by service, in file order. */
    public Map<ServiceKey, SorryServer> sorryServers() {
        Map<ServiceKey, SorryServer> m = new LinkedHashMap<>();
        for (CheckSpec c : checks) {
            if (c.sorry() != null) {
                m.putIfAbsent(c.service(), c.sorry());
            }
        }
        return m;
    }

    /** The same configuration without the locations it was read from (services only: what an engine has). */
    public DirectorConfig withoutLocations() {
        return new DirectorConfig(services.stream().map(ServiceSpec::withoutLocations).toList(), timeouts, flush,
            syncDaemons, checks, tunables, dataPlane);
    }
}
