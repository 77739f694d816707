package uvs.ctl.importer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.format.RulesText;
import uvs.ctl.model.ConfigValidator;
import uvs.ctl.model.DirectorConfig;
import uvs.ctl.model.RealServerSpec;
import uvs.ctl.model.ServiceSpec;
import uvs.ctl.model.Timeouts;

/**
 * The services and real servers of an import, built directly as a {@link DirectorConfig}, each remembered
 * with the line it came from so that a duplicate, or a value {@link ConfigValidator} refuses, is reported
 * there.
 */
final class RuleBook {
    private final Map<ServiceKey, Entry> services = new LinkedHashMap<>();
    private final Map<String, SourceLocation> dests = new HashMap<>();
    private Timeouts timeouts;
    private boolean flush;

    /** {@code -C}: the import clears every service first. */
    void clear(SourceLocation at) {
        flush = true;
    }

    /** {@code --set tcp tcpfin udp} (0 = unchanged). */
    void timeouts(SourceLocation at, int tcp, int tcpfin, int udp) {
        timeouts = new Timeouts(tcp, tcpfin, udp);
    }

    /**
     * Adds a service; a service already added is an error (reported here).
     *
     * @return false for a duplicate
     */
    boolean addService(SourceLocation at, ServiceKey key, ServiceConfig config, Diagnostics d) {
        Entry first = services.get(key);
        if (first != null) {
            d.error(at, "duplicate virtual service " + key + " (first defined at " + first.at + ")");
            return false;
        }
        services.put(key, new Entry(config, at));
        return true;
    }

    /**
     * Claims a real server of a service without adding it (one that starts down and is added by its
     * check); a real server claimed before is a warning.
     *
     * @return false for a duplicate
     */
    boolean reserveDest(SourceLocation at, ServiceKey key, IpAddress address, int port, Diagnostics d) {
        String dest = address.withPort(port);
        SourceLocation first = dests.putIfAbsent(key + " " + dest, at);
        if (first != null) {
            d.warn(at, "real server " + dest + " of " + key + " is a duplicate of the one at " + first + ": left out");
            return false;
        }
        return true;
    }

    /**
     * Adds a real server to a service added before; a real server already in the service is a warning and
     * is left out.
     *
     * @return false for a duplicate
     */
    boolean addDest(SourceLocation at, ServiceKey key, IpAddress address, int port, RealServerConfig c,
                    Diagnostics d) {
        if (!reserveDest(at, key, address, port, d)) {
            return false;
        }
        services.get(key).realServers.add(new RealServerSpec(address, port, c, at));
        return true;
    }

    /** Checks every service and real server as ipvsadm and the kernel would; a refused one is an error at its origin. */
    void validate(Diagnostics d) {
        ConfigValidator v = ConfigValidator.standard();
        for (Map.Entry<ServiceKey, Entry> e : services.entrySet()) {
            ServiceKey key = e.getKey();
            Entry s = e.getValue();
            String p = v.serviceProblem(key, s.config, false);
            if (p != null) {
                refused(d, s.at, RulesText.service(key, s.config), p);
            }
            for (RealServerSpec r : s.realServers) {
                String rp = v.realServerProblem(key, r.address(), r.config(), false);
                if (rp != null) {
                    refused(d, r.at(), RulesText.realServer(key, r), rp);
                }
            }
        }
    }

    private static void refused(Diagnostics d, SourceLocation at, String rule, String problem) {
        d.error(at, "ipvsadm refuses the translated rule \"" + rule + "\": " + problem);
    }

    /** The configuration built so far. */
    DirectorConfig config() {
        List<ServiceSpec> out = new ArrayList<>(services.size());
        services.forEach((key, s) -> out.add(new ServiceSpec(key, s.config, s.realServers, s.at)));
        return new DirectorConfig(out, timeouts, flush, List.of());
    }

    /** The configuration as {@code ipvsadm -R} lines. */
    List<String> lines() {
        return RulesText.lines(config());
    }

    private static final class Entry {
        private final ServiceConfig config;
        private final SourceLocation at;
        private final List<RealServerSpec> realServers = new ArrayList<>();

        private Entry(ServiceConfig config, SourceLocation at) {
            this.config = config;
            this.at = at;
        }
    }
}
