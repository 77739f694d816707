package uvs.net.dataplane;

import java.util.function.Supplier;
import uvs.net.sys.RouteTable;

/**
 * Next hops from the kernel's routing table (/proc/net/route and /proc/net/ipv6_route of the director's
 * namespace), re-read every few seconds by the worker's housekeeping. A destination whose best route
 * leaves by another interface has no next hop here.
 */
public final class KernelNextHops implements NextHops {
    /** How often the table is re-read. */
    public static final long RELOAD_NANOS = 5_000_000_000L;

    private final String iface;
    private final Supplier<RouteTable> loader;
    private RouteTable table;
    private long loadedAt;

    /** Next hops on {@code iface}, from tables made by {@code loader} (normally {@link RouteTable#load}). */
    public KernelNextHops(String iface, Supplier<RouteTable> loader) {
        this.iface = iface;
        this.loader = loader;
        this.table = loader.get();
    }

    @Override
    public boolean lookup(int af, long hi, long lo, Hop out) {
        RouteTable.Route r = table.lookup(af, hi, lo);
        if (r == null || !iface.equals(r.iface())) {
            return false;
        }
        if (r.hasGateway()) {
            out.set(af, r.gatewayHi(), r.gatewayLo());
        } else {
            out.set(af, hi, lo);
        }
        return true;
    }

    @Override
    public void gateways(AddressVisitor visitor) {
        var routes = table.routes();
        for (int i = 0; i < routes.size(); i++) {
            RouteTable.Route r = routes.get(i);
            if (r.hasGateway() && iface.equals(r.iface())) {
                visitor.visit(r.af(), r.gatewayHi(), r.gatewayLo());
            }
        }
    }

    /** Re-reads the table when it is older than {@link #RELOAD_NANOS}; a failed read keeps the old one. */
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
