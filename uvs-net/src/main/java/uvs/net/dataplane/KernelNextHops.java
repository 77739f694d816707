package uvs.net.dataplane;

import java.util.List;
import uvs.net.sys.RouteTable;

/**
 * Next hops from the kernel's main routing table of the director's namespace, as {@link RouteWatch} hears it
 * over netlink. Each route's output interface picks the data-plane interface a packet leaves by; a destination
 * whose best route leaves by an interface UVS does not run on has no next hop here. The table is immutable and
 * swapped whole by its one writer ({@link #update}); every worker reads it without locks.
 */
public final class KernelNextHops implements NextHops {
    private final String[] ifaces;
    private volatile RouteTable table;

    /** Next hops on the data-plane interfaces {@code ifaces} (port index = position in the list). */
    public KernelNextHops(List<String> ifaces, RouteTable initial) {
        if (ifaces.isEmpty()) {
            throw new IllegalArgumentException("no data-plane interface");
        }
        this.ifaces = ifaces.toArray(String[]::new);
        this.table = initial;
    }

    /** Routes by {@code next} from now on (the route listener's thread only). */
    public void update(RouteTable next) {
        table = next;
    }

    /** The routes in use. */
    public RouteTable table() {
        return table;
    }

    @Override
    public boolean lookup(int af, long hi, long lo, Hop out) {
        RouteTable.Route r = table.lookup(af, hi, lo);
        int port = r == null ? -1 : port(r.iface());
        if (port < 0) {
            return false;
        }
        if (r.hasGateway()) {
            out.set(port, af, r.gatewayHi(), r.gatewayLo());
        } else {
            out.set(port, af, hi, lo);
        }
        return true;
    }

    @Override
    public void gateways(AddressVisitor visitor) {
        var routes = table.routes();
        for (int i = 0; i < routes.size(); i++) {
            RouteTable.Route r = routes.get(i);
            int port = port(r.iface());
            if (r.hasGateway() && port >= 0) {
                visitor.visit(port, r.af(), r.gatewayHi(), r.gatewayLo());
            }
        }
    }

    private int port(String iface) {
        for (int i = 0; i < ifaces.length; i++) {
            if (ifaces[i].equals(iface)) {
                return i;
            }
        }
        return -1;
    }
}
