package uvs.ctl.view;

import java.util.List;
import java.util.Objects;

/**
 * Everything the list formats and the procfs files read from one engine (or the sum of several shards).
 *
 * @param connTabSize the connection hash size ipvsadm prints as "size=" (2^conn_tab_bits)
 * @param totals engine-wide counters and rates (/proc/net/ip_vs_stats)
 * @param timeouts {@code --timeout} values
 * @param services services: address services first, then firewall-mark services, each in order of addition
 * @param conns connection entries and templates, in table order
 */
public record EngineView(int connTabSize, StatsView totals, TimeoutView timeouts, List<ServiceView> services,
                         List<ConnView> conns) {
    /** Checks that nothing is missing; keeps unmodifiable copies of the lists. */
    public EngineView {
        if (connTabSize < 1) {
            throw new IllegalArgumentException("connection table size " + connTabSize + " must be positive");
        }
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(timeouts, "timeouts");
        services = List.copyOf(services);
        conns = List.copyOf(conns);
    }
}
