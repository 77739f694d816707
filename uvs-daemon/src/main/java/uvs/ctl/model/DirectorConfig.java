package uvs.ctl.model;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uvs.core.svc.ServiceKey;
import uvs.core.tune.SysctlFile;
import uvs.daemon.health.SorryServer;
import uvs.sync.SyncDaemonConfig;

/**
 * The whole desired configuration of a director, immutable: its services with their real servers, the
 * protocol timeouts, the sync daemons, the health checks of its real servers (with each service's sorry
 * server and quorum) and the tunables. Every front end (rules file, keepalived.conf, ldirectord.cf, and
 * uvsd's own files through {@code DaemonFiles}) produces one; {@link ConfigValidator} checks it,
 * {@link Reconciler} brings an engine's services and timeouts to it, the tunables are applied as they are
 * and the checks run in the health checker. Data-plane settings (interfaces, workers, I/O) are not part of
 * it: they are the process's, fixed at start, not a state a reload can move to.
 *
 * @param services the services in the order they were defined
 * @param timeouts the timeouts to set, or null to leave them
 * @param flush true when the configuration says to clear every service first ({@code -C}, keepalived's
 *              {@code lvs_flush}); the services here are the whole table either way
 * @param syncDaemons the sync daemons to run ({@link SyncDaemonConfig} is already an immutable, validated
 *                    record; it is the spec)
 * @param checks the health checks, one per checked real server, in file order
 * @param tunables the sysctl settings to apply, or null to leave them
 */
public record DirectorConfig(List<ServiceSpec> services, Timeouts timeouts, boolean flush,
                             List<SyncDaemonConfig> syncDaemons, List<CheckSpec> checks, SysctlFile tunables) {
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
        this(services, timeouts, flush, syncDaemons, List.of(), null);
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
        return new DirectorConfig(services, timeouts, flush, daemons, checks, tunables);
    }

    /** This configuration with these health checks. */
    public DirectorConfig withChecks(List<CheckSpec> specs) {
        return new DirectorConfig(services, timeouts, flush, syncDaemons, specs, tunables);
    }

    /** This configuration with these tunables (null: leave them). */
    public DirectorConfig withTunables(SysctlFile sysctl) {
        return new DirectorConfig(services, timeouts, flush, syncDaemons, checks, sysctl);
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
            syncDaemons, checks, tunables);
    }
}
