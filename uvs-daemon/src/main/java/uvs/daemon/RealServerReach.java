package uvs.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.ctl.cli.IpvsadmCommand;
import uvs.ctl.cli.IpvsadmException;
import uvs.ctl.cli.RestoreLine;
import uvs.ctl.model.DirectorConfig;
import uvs.ctl.model.Problem;
import uvs.ctl.model.RealServerSpec;
import uvs.ctl.model.ServiceSpec;
import uvs.net.sys.RouteTable;

/**
 * Whether the data plane can reach a real server: the kernel's best route to it must leave by one of the
 * data-plane interfaces, or UVS would create connections whose every packet is dropped ({@code no-route}).
 * Checked when a real server is added or edited while the data plane runs, and for the whole configuration
 * when it starts. Loopback real servers (the local node) are always reachable.
 */
public final class RealServerReach {
    private final List<String> interfaces;
    private final Supplier<RouteTable> routes;

    /** Checks against the routes {@code routes} gives (normally {@link RouteTable#load}) and these interfaces. */
    public RealServerReach(List<String> interfaces, Supplier<RouteTable> routes) {
        this.interfaces = List.copyOf(interfaces);
        this.routes = routes;
    }

    /** Null when {@code a} is reached through a data-plane interface, else a one-line reason. */
    public String problem(IpAddress a) {
        return problem(a, routes.get());
    }

    private String problem(IpAddress a, RouteTable table) {
        if (isLoopback(a)) {
            return null;
        }
        RouteTable.Route r = table.lookup(a.af(), a.hi(), a.lo());
        if (r != null && interfaces.contains(r.iface())) {
            return null;
        }
        return "Real server " + a + " is not reachable through the data-plane interface"
            + (interfaces.size() == 1 ? " " : "s ") + String.join(",", interfaces)
            + (r == null ? " (no route)" : " (its route leaves by " + r.iface() + ")");
    }

    /**
     * Refuses an {@code -a}/{@code -e} (or every such line of {@code -R}) for a real server no data-plane
     * interface reaches, in ipvsadm's style.
     *
     * @throws IpvsadmException for the first unreachable real server (with its line for restore input)
     */
    public void check(IpvsadmCommand cmd) {
        if (cmd instanceof IpvsadmCommand.Restore r) {
            check(r.lines());
            return;
        }
        String p = problem(cmd, routes.get());
        if (p != null) {
            throw new IpvsadmException(IpvsadmException.EXIT_ERROR, p);
        }
    }

    /** As {@link #check(IpvsadmCommand)} for restore lines, naming the line. */
    public void check(List<RestoreLine> lines) {
        RouteTable table = routes.get();
        for (RestoreLine line : lines) {
            String p = problem(line.command(), table);
            if (p != null) {
                throw new IpvsadmException(IpvsadmException.EXIT_ERROR, p).atLine(line.number());
            }
        }
    }

    /** The reasons for every real server in {@code addresses} that is not reachable. */
    public List<String> problems(List<IpAddress> addresses) {
        RouteTable table = routes.get();
        List<String> out = new ArrayList<>();
        for (IpAddress a : addresses) {
            String p = problem(a, table);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** Every real server of {@code config} no data-plane interface reaches, each where it was written. */
    public List<Problem> problems(DirectorConfig config) {
        RouteTable table = routes.get();
        List<Problem> out = new ArrayList<>();
        for (ServiceSpec s : config.services()) {
            for (RealServerSpec r : s.realServers()) {
                String p = problem(r.address(), table);
                if (p != null) {
                    out.add(new Problem(r.at(), p));
                }
            }
        }
        return out;
    }

    private String problem(IpvsadmCommand cmd, RouteTable table) {
        return switch (cmd) {
            case IpvsadmCommand.AddDest a -> problem(a.address(), table);
            case IpvsadmCommand.EditDest e -> problem(e.address(), table);
            default -> null;
        };
    }

    private static boolean isLoopback(IpAddress a) {
        return a.af() == Af.INET ? (a.lo() >>> 24) == 127 : a.hi() == 0 && a.lo() == 1;
    }
}
