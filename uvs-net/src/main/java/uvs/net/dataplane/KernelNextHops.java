package uvs.net.dataplane;

import java.util.List;
import java.util.function.Supplier;
import uvs.net.sys.RouteTable;

/**
 * Next hops from the kernel's routing table (/proc/net/route and /proc/net/ipv6_route of the director's
 * namespace), re-read every few seconds by the worker's housekeeping. Each route's output interface picks the
 * data-plane interface a packet leaves by; a destination whose best route leaves by an interface UVS does not
 * run on has no next hop here.
 */
public final class KernelNextHops implements NextHops {
    /** How often the table is re-read. */
    public static final long RELOAD_NANOS = 5_000_000_000L;

    private final String[] ifaces;
    private final Supplier<RouteTable> loader;
    private RouteTable table;
    private long loadedAt;

    /** Next hops on {@code iface} only, from tables made by {@code loader} (normally {@link RouteTable#load}). */
    public KernelNextHops(String iface, Supplier<RouteTable> loader) {
        this(List.of(iface), loader);
    }

    /** Next hops on the data-plane interfaces {@code ifaces} (port index = position in the list). */
    public KernelNextHops(List<String> ifaces, Supplier<RouteTable> loader) {
        if (ifaces.isEmpty()) {
            throw new IllegalArgumentException("no data-plane interface");
        }
        this.ifaces = ifaces.toArray(String[]::new);
        this.loader = loader;
        this.table = loader.get();
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

    /** Re-reads the table when it is older than {@link #RELOAD_NANOS}; a failed read keeps the old one. */
    @Override
    public void refresh(long now) {
        if (now - loadedAt < RELOAD_NANOS) {
            return;
        }
        loadedAt = now;
        try {
            table = loader.get();
        } catch (RuntimeException e) {
            // keep routing with what we had; the next refresh tries again
        }
    }
}
