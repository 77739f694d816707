package uvs.ctl.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.ConfigValidator.Endpoint;

/**
 * The one way a configuration reaches an engine: {@link #diff} of what runs and what is wanted into the
 * fewest ordered {@link Change}s. Services and real servers that stay are edited in place, never deleted
 * and re-added, so their connections, counters and sync state survive. Pure and linear in the size of the
 * two configurations; it runs on a control thread, and only its changes go to the engines' threads.
 *
 * <p>The order keeps traffic flowing: timeouts, then new services, edited services, new real servers,
 * edited real servers, and only then removed real servers and removed services. A service whose servers
 * are all replaced so gains its new servers before it loses the old ones and is never empty on the way.
 * New real servers are added in the configuration's order, so an engine's list ends up as {@code ipvsadm -R}
 * of the same file leaves it.
 */
public final class Reconciler {
    private Reconciler() {
    }

    /** The changes that bring an engine holding {@code current} to {@code desired}; empty when they agree. */
    public static List<Change> diff(DirectorConfig current, DirectorConfig desired) {
        List<Change> out = new ArrayList<>();
        Timeouts t = desired.timeouts();
        if (t != null && (current.timeouts() == null || !t.isMetBy(current.timeouts()))) {
            out.add(new Change.SetTimeouts(t));
        }
        Map<ServiceKey, ServiceSpec> have = current.byKey();
        Map<ServiceKey, ServiceSpec> want = desired.byKey();
        for (ServiceSpec s : desired.services()) {
            if (!have.containsKey(s.key())) {
                out.add(new Change.AddService(s.key(), s.config()));
            }
        }
        for (ServiceSpec s : desired.services()) {
            ServiceSpec h = have.get(s.key());
            if (h != null && !h.config().equals(s.config())) {
                out.add(new Change.EditService(s.key(), s.config()));
            }
        }
        List<Change> edits = new ArrayList<>();
        List<Change> deletes = new ArrayList<>();
        for (ServiceSpec s : desired.services()) {
            ServiceSpec h = have.get(s.key());
            Map<Endpoint, RealServerSpec> running = h == null ? Map.of() : endpoints(h);
            for (RealServerSpec r : s.realServers()) {
                RealServerSpec was = running.get(new Endpoint(r.address(), r.port()));
                if (was == null) {
                    out.add(new Change.AddRealServer(s.key(), r.address(), r.port(), r.config()));
                } else if (!was.config().equals(r.config())) {
                    edits.add(new Change.EditRealServer(s.key(), r.address(), r.port(), r.config()));
                }
            }
            if (h != null) {
                Map<Endpoint, RealServerSpec> wanted = endpoints(s);
                for (RealServerSpec r : h.realServers()) {
                    if (!wanted.containsKey(new Endpoint(r.address(), r.port()))) {
                        deletes.add(new Change.DeleteRealServer(s.key(), r.address(), r.port()));
                    }
                }
            }
        }
        out.addAll(edits);
        out.addAll(deletes);
        for (ServiceSpec h : current.services()) {
            if (!want.containsKey(h.key())) {
                out.add(new Change.DeleteService(h.key()));
            }
        }
        return out;
    }

    private static Map<Endpoint, RealServerSpec> endpoints(ServiceSpec s) {
        Map<Endpoint, RealServerSpec> m = HashMap.newHashMap(s.realServers().size());
        for (RealServerSpec r : s.realServers()) {
            m.put(new Endpoint(r.address(), r.port()), r);
        }
        return m;
    }
}
