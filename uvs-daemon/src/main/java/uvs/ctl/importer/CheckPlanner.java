package uvs.ctl.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uvs.core.net.IpAddress;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.CheckSpec;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;

/**
 * Plans the checks an importer read, once, when the file is read: the typed {@link CheckSpec}s the health
 * checker runs, one per checked real server, and a warning at its line for everything that does not run as
 * written: what each checker's parser found (a check kind UVS does not run, whose server stays up unchecked;
 * a setting it does not honour) and a further checker of one server whose timing differs from the first's
 * (the checkers of one server run as one {@link CheckKind.AllOf}).
 */
final class CheckPlanner {
    // the checkers of one real server of one service are joined
    private record Server(ServiceKey service, IpAddress address, int port) {
    }

    private final List<CheckSpec> planned = new ArrayList<>();
    private final Diagnostics diagnostics;
    private int unchecked;

    private CheckPlanner(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The typed checks of {@code read}, one per real server; what does not run as written goes to {@code d}. */
    static CheckPlanner of(List<ReadCheck> read, Diagnostics d) {
        CheckPlanner p = new CheckPlanner(d);
        Map<Server, List<ReadCheck>> byServer = new LinkedHashMap<>();
        for (ReadCheck c : read) {
            CheckedServer s = c.server();
            byServer.computeIfAbsent(new Server(s.service(), s.address(), s.port()), k -> new ArrayList<>()).add(c);
        }
        for (List<ReadCheck> checks : byServer.values()) {
            List<CheckSpec> specs = new ArrayList<>();
            for (ReadCheck c : checks) {
                for (String w : c.warnings()) {
                    d.warn(c.server().at(), w);
                }
                if (c.unchecked()) {
                    p.unchecked++;
                }
                if (c.spec() != null) {
                    specs.add(c.spec());
                }
            }
            if (specs.size() == 1) {
                p.planned.add(specs.getFirst());
            } else if (specs.size() > 1) {
                p.planned.add(p.allOf(specs, checks.getFirst().server().name()));
            }
        }
        return p;
    }

    // keepalived: a real server with several checkers is alive only while every one is up
    private CheckSpec allOf(List<CheckSpec> specs, String server) {
        CheckSpec first = specs.getFirst();
        CheckTiming t = first.timing();
        List<CheckKind.Part> parts = new ArrayList<>();
        for (CheckSpec one : specs) {
            CheckTiming o = one.timing();
            if (!o.interval().equals(t.interval()) || o.retries() != t.retries()
                || !o.delayBeforeRetry().equals(t.delayBeforeRetry())) {
                diagnostics.warn(one.at(), server + ": this checker runs with the "
                    + "interval and retries of the first one (" + first.at() + ")");
            }
            parts.add(new CheckKind.Part(local(one.kind()), one.connectAddress(), one.connectPort(),
                one.bindAddress(), o.timeout()));
        }
        CheckKind all = new CheckKind.AllOf(parts);
        if (first.kind() instanceof CheckKind.WhileLocal w) {
            // ha_suspend is the virtual server's: it suspends the checkers together
            all = new CheckKind.WhileLocal(all, w.address());
        }
        return new CheckSpec(first.at(), first.service(), first.address(), first.port(), first.weight(), all, t,
            first.onFailure(), first.startDown(), null, 0, first.bindAddress(), first.sorry(), first.quorum());
    }

    // the check itself, without keepalived's ha_suspend around it
    private static CheckKind local(CheckKind kind) {
        return kind instanceof CheckKind.WhileLocal w ? w.check() : kind;
    }

    /** The checks to run, one per checked real server, in file order. */
    List<CheckSpec> specs() {
        return List.copyOf(planned);
    }

    /** Real servers left unchecked because UVS does not run their kind of check. */
    int unchecked() {
        return unchecked;
    }
}
