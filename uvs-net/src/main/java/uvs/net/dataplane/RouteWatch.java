package uvs.net.dataplane;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.Agent;
import uvs.net.sys.NetlinkSocket;
import uvs.net.sys.RouteTable;
import uvs.net.sys.RtNetlink;
import uvs.time.NanoClock;

/**
 * The route and neighbour listener: keeps {@link KernelNextHops} and the neighbour caches in step with the
 * kernel's main routing table and neighbour table of the director's namespace. It opens a netlink socket
 * subscribed to IPv4/IPv6 route and neighbour changes, dumps both tables once (again after the kernel dropped
 * messages for it), and from then on applies {@code RTM_NEWROUTE}/{@code RTM_DELROUTE} and
 * {@code RTM_NEWNEIGH}/{@code RTM_DELNEIGH} as they come. Runs as an {@link Agent} on worker 0's thread, the one
 * writer of the neighbour caches; the route table it publishes is a new immutable one per change, so the
 * packet path of every worker reads it without locks. Never blocks; reads at most every
 * {@link #POLL_NANOS}.
 */
public final class RouteWatch implements Agent, RtNetlink.Listener {
    /** How often the socket is read: route changes reach the packet path within this. */
    public static final long POLL_NANOS = 50_000_000L;
    private static final int GROUPS = RtNetlink.RTMGRP_IPV4_ROUTE | RtNetlink.RTMGRP_IPV6_ROUTE
        | RtNetlink.RTMGRP_NEIGH;

    private final NetlinkSocket socket;
    private final KernelNextHops hops;
    private final NeighbourTable[] tables;
    /** Interface index of each data-plane port. */
    private final int[] ifindex;
    private final String[] names;
    private final NanoClock clock;
    private final Map<RouteKey, RouteTable.Route> routes = new LinkedHashMap<>();
    private boolean dirty;
    private int seq;
    /** Sequence of the route dump under way (the table is published when it ends), else 0. */
    private int routeDump;
    private int neighbourDump;
    private long nextPoll;
    private long now;
    private long changes;
    private long malformed;
    private long resyncs;
    private String lastProblem;

    private record RouteKey(int af, long hi, long lo, int prefix, long metric) {
    }

    /**
     * A listener for the data-plane interfaces {@code names} with interface indexes {@code ifindex}, feeding
     * {@code hops} and {@code tables} (one per interface); opens its socket in the calling thread's namespace
     * and asks for the first dump (the routes are in {@code hops} after the first {@link #doWork} calls).
     */
    public RouteWatch(List<String> names, int[] ifindex, KernelNextHops hops, List<NeighbourTable> tables,
                      NanoClock clock) {
        this(NetlinkSocket.open(GROUPS), names, ifindex, hops, tables, clock);
    }

    RouteWatch(NetlinkSocket socket, List<String> names, int[] ifindex, KernelNextHops hops,
               List<NeighbourTable> tables, NanoClock clock) {
        if (names.size() != ifindex.length || tables.size() != ifindex.length) {
            throw new IllegalArgumentException(names.size() + " interfaces, " + ifindex.length + " indexes, "
                + tables.size() + " neighbour caches");
        }
        this.socket = socket;
        this.names = names.toArray(String[]::new);
        this.ifindex = ifindex.clone();
        this.hops = hops;
        this.tables = tables.toArray(NeighbourTable[]::new);
        this.clock = clock;
        if (socket != null) {
            resync();
        }
    }

    /** Reads what the kernel said since the last look (at most every {@link #POLL_NANOS}); returns messages read. */
    @Override
    public int doWork() {
        now = clock.nanoTime();
        if (now - nextPoll < 0) {
            return 0;
        }
        nextPoll = now + POLL_NANOS;
        int n = socket.receive(this);
        if (n == NetlinkSocket.OVERRUN) {
            resync();
            return 1;
        }
        publish();
        return n;
    }

    /**
     * Reads until the first route dump is in and published, for at most {@code timeoutNanos}: start-up only
     * (it blocks), so that the first packets find their routes. False when the dump did not end in time.
     */
    public boolean awaitRoutes(long timeoutNanos) throws InterruptedException {
        long end = clock.nanoTime() + timeoutNanos;
        while (routeDump != 0) {
            now = clock.nanoTime();
            int n = socket.receive(this);
            if (n == NetlinkSocket.OVERRUN) {
                resync();
            } else if (n == 0) {
                if (now - end > 0) {
                    return false;
                }
                Thread.sleep(1);
            }
        }
        publish();
        return true;
    }

    /** Publishes the route table when it changed and no route dump is half read. */
    void publish() {
        if (dirty && routeDump == 0) {
            hops.update(RouteTable.of(new ArrayList<>(routes.values())));
            dirty = false;
        }
    }

    /** Forgets the routes and asks for both tables again (the kernel dropped changes meant for us). */
    private void resync() {
        resyncs++;
        routes.clear();
        dirty = true;
        routeDump = ++seq;
        neighbourDump = 0;
        socket.dump(RtNetlink.RTM_GETROUTE, routeDump);
    }

    @Override
    public String roleName() {
        return "uvs-routes";
    }

    @Override
    public void onClose() {
        socket.close();
    }

    @Override
    public void route(boolean added, int af, int table, int type, long dstHi, long dstLo, int prefixLength,
                      boolean hasGateway, long gatewayHi, long gatewayLo, int oif, long metric) {
        if (table != RtNetlink.RT_TABLE_MAIN) {
            return;
        }
        RouteKey key = new RouteKey(af, dstHi, dstLo, prefixLength, metric);
        changes++;
        dirty = true;
        if (!added || type != RtNetlink.RTN_UNICAST) {
            // a replaced unicast route may come back as unreachable: then it routes nothing
            routes.remove(key);
            return;
        }
        routes.put(key, new RouteTable.Route(af, dstHi, dstLo, prefixLength, gatewayHi, gatewayLo, hasGateway,
            name(oif), metric));
    }

    @Override
    public void neighbour(boolean added, int index, int af, long hi, long lo, long mac, int state) {
        int p = port(index);
        if (p < 0) {
            return;
        }
        changes++;
        if (added && (state & RtNetlink.NUD_VALID) != 0 && mac != -1) {
            tables[p].learn(af, hi, lo, mac, now, true);
        } else {
            tables[p].stale(af, hi, lo);
        }
    }

    @Override
    public void done(int sequence) {
        if (sequence == routeDump && routeDump != 0) {
            routeDump = 0;
            // one dump at a time per socket: the neighbours after the routes
            neighbourDump = ++seq;
            socket.dump(RtNetlink.RTM_GETNEIGH, neighbourDump);
        } else if (sequence == neighbourDump) {
            neighbourDump = 0;
        }
    }

    @Override
    public void failed(int sequence, int errno) {
        malformed++;
        lastProblem = "netlink request " + sequence + " refused: errno " + errno;
        if (sequence == routeDump) {
            routeDump = 0; // publish what we have; the next overrun or restart dumps again
        }
    }

    @Override
    public void malformed(String problem) {
        malformed++;
        lastProblem = problem;
    }

    private int port(int index) {
        for (int p = 0; p < ifindex.length; p++) {
            if (ifindex[p] == index) {
                return p;
            }
        }
        return -1;
    }

    /** The data-plane interface's name, or a name no data-plane interface has. */
    private String name(int index) {
        int p = port(index);
        return p >= 0 ? names[p] : "#" + index;
    }

    /** Route and neighbour messages applied. */
    public long changes() {
        return changes;
    }

    /** Messages that did not hold together, and refused requests (nothing applied from them). */
    public long malformed() {
        return malformed;
    }

    /** The last such problem, or null. */
    public String lastProblem() {
        return lastProblem;
    }

    /** Full dumps asked for (the first, and one after each overrun). */
    public long resyncs() {
        return resyncs;
    }
}
