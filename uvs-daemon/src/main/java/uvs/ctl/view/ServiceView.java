package uvs.ctl.view;

import java.util.List;
import java.util.Objects;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;

/**
 * One virtual service as ipvsadm lists it.
 *
 * @param key protocol, address and port, or firewall mark
 * @param config scheduler, flags, persistence timeout (seconds), netmask and persistence engine
 * @param stats counters and rates
 * @param dests real servers in kernel list order (most recently added first)
 */
public record ServiceView(ServiceKey key, ServiceConfig config, StatsView stats, List<DestView> dests) {
    /** Checks that nothing is missing; keeps an unmodifiable copy of the list. */
    public ServiceView {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(stats, "stats");
        dests = List.copyOf(dests);
    }

    /** Scheduler name. */
    public String scheduler() {
        return config.scheduler();
    }

    /** ServiceFlags bits. */
    public int flags() {
        return config.flags();
    }
}
