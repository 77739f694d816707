package uvs.ctl.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uvs.core.svc.ServiceKey;
import uvs.sync.SyncDaemonConfig;

/**
 * The whole desired configuration of a director, immutable: its services with their real servers, the
 * protocol timeouts, and the sync daemons. Every front end (rules file, keepalived.conf, ldirectord.cf)
 * produces one; {@link ConfigValidator} checks it and {@link Reconciler} brings an engine to it.
 *
 * @param services the services in the order they were defined
 * @param timeouts the timeouts to set, or null to leave them
 * @param flush true when the configuration says to clear every service first ({@code -C}, keepalived's
 *              {@code lvs_flush}); the services here are the whole table either way
 * @param syncDaemons the sync daemons to run
 */
public record DirectorConfig(List<ServiceSpec> services, Timeouts timeouts, boolean flush,
                             List<SyncDaemonConfig> syncDaemons) {
    /** No services, timeouts left alone, no sync daemons. */
    public static final DirectorConfig EMPTY = new DirectorConfig(List.of(), null, false, List.of());

    /** Keeps immutable copies. */
    public DirectorConfig {
        services = List.copyOf(services);
        syncDaemons = List.copyOf(Objects.requireNonNullElse(syncDaemons, List.of()));
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
        return new DirectorConfig(services, timeouts, flush, daemons);
    }

    /** The same configuration without the locations it was read from. */
    public DirectorConfig withoutLocations() {
        return new DirectorConfig(services.stream().map(ServiceSpec::withoutLocations).toList(), timeouts, flush,
            syncDaemons);
    }
}
