package uvs.daemon.cluster;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import uvs.core.net.IpAddress;
import uvs.core.svc.RealServer;
import uvs.core.svc.VirtualService;

/**
 * The virtual addresses of a director's services (fwmark services have none).
 *
 * @param all every address of a TCP, UDP or SCTP service
 * @param available the addresses with at least one service that has a real server of weight above 0: the ones
 *                  worth sending traffic to
 */
public record ServiceVips(Set<IpAddress> all, Set<IpAddress> available) {
    /** Keeps sorted copies. */
    public ServiceVips {
        all = Collections.unmodifiableSortedSet(new TreeSet<>(all));
        available = Collections.unmodifiableSortedSet(new TreeSet<>(available));
    }

    /** Reads them from the services (call on the engine's thread). */
    public static ServiceVips of(List<VirtualService> services) {
        Set<IpAddress> all = new TreeSet<>();
        Set<IpAddress> available = new TreeSet<>();
        for (VirtualService s : services) {
            if (s.key().isFwmark()) {
                continue;
            }
            all.add(s.key().address());
            RealServer[] dests = s.dests();
            for (int i = 0; i < s.destCount(); i++) {
                if (dests[i].weight() > 0) {
                    available.add(s.key().address());
                    break;
                }
            }
        }
        return new ServiceVips(all, available);
    }

    /** No services. */
    public static ServiceVips none() {
        return new ServiceVips(Set.of(), Set.of());
    }
}
