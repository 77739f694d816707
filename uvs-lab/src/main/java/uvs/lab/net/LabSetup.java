package uvs.lab.net;

import static uvs.lab.net.LabTopology.BRIDGE;
import static uvs.lab.net.LabTopology.DIRECTORS;
import static uvs.lab.net.LabTopology.ETH;
import static uvs.lab.net.LabTopology.REAL_SERVERS;
import static uvs.lab.net.LabTopology.ROUTER_CLIENT_IF;
import static uvs.lab.net.LabTopology.SYNC_IF;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands that build a lab, as data: {@code ip -batch} lines and sysctl settings per namespace, so the
 * plan can be checked without root. {@link Lab} runs them in order: sysctls, links, configuration, interface
 * sysctls.
 */
record LabSetup(LabTopology topo) {
    /** Namespace-wide sysctls, set before any interface exists so new interfaces inherit the defaults. */
    Map<String, List<String>> sysctls() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String ns : topo.namespaces()) {
            // addresses must work at once: no duplicate address detection anywhere in the lab
            m.put(ns, new ArrayList<>(List.of("net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")));
        }
        m.get(topo.router()).addAll(List.of("net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1",
            // hash the headers (addresses, protocol, ports: policy 3, fields 0x37), so the flows of one client
            // spread over both directors and a flow stays put: policy 1 reuses the socket hash that veth carries
            // over from the client, and TCP draws a new one at every retransmission timeout
            "net.ipv4.fib_multipath_hash_policy=3", "net.ipv4.fib_multipath_hash_fields=0x0037",
            "net.ipv6.fib_multipath_hash_policy=3", "net.ipv6.fib_multipath_hash_fields=0x0037"));
        for (int i = 1; i <= DIRECTORS; i++) {
            // a director's kernel must drop VIP packets rather than route them back to the router
            m.get(topo.director(i)).addAll(List.of("net.ipv4.ip_forward=0", "net.ipv6.conf.all.forwarding=0",
                "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0"));
        }
        for (int i = 1; i <= REAL_SERVERS; i++) {
            // the VIP sits on lo: never answer or announce it on the LAN (that is the director's job)
            m.get(topo.realServer(i)).addAll(List.of("net.ipv4.conf.all.arp_ignore=1",
                "net.ipv4.conf.all.arp_announce=2", "net.ipv4.conf.default.arp_ignore=1",
                "net.ipv4.conf.default.arp_announce=2"));
        }
        return m;
    }

    /** Interface sysctls, set once the interfaces exist. */
    Map<String, List<String>> interfaceSysctls() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 1; i <= DIRECTORS; i++) {
            m.put(topo.director(i), List.of("net.ipv4.conf." + ETH + ".rp_filter=0",
                "net.ipv4.conf." + SYNC_IF + ".rp_filter=0"));
        }
        for (int i = 1; i <= REAL_SERVERS; i++) {
            m.put(topo.realServer(i), List.of("net.ipv4.conf." + ETH + ".arp_ignore=1",
                "net.ipv4.conf." + ETH + ".arp_announce=2"));
        }
        return m;
    }

    /**
     * Interfaces whose offloads are turned off, per namespace: senders must not hand over TCP super-frames
     * (TSO/GSO) or half-made checksums, so the frames a director's data plane reads are the frames on the wire.
     */
    Map<String, List<String>> offloadInterfaces() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(topo.client(), List.of(ETH));
        List<String> router = new ArrayList<>(List.of(ROUTER_CLIENT_IF, BRIDGE));
        for (int i = 1; i <= DIRECTORS; i++) {
            router.add("d" + i);
            m.put(topo.director(i), List.of(ETH));
        }
        for (int i = 1; i <= REAL_SERVERS; i++) {
            router.add("rs" + i);
            m.put(topo.realServer(i), List.of(ETH));
        }
        m.put(topo.router(), router);
        return m;
    }

    /** Link creation; each veth is made from one side with its peer placed straight into the other namespace. */
    Map<String, List<String>> links() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        String router = topo.router();
        m.put(topo.client(), List.of(veth(ETH, ROUTER_CLIENT_IF, router)));
        // no multicast snooping: without a querier it could starve ND and sync multicast on the LAN
        m.put(router, List.of("link add " + BRIDGE + " type bridge mcast_snooping 0"));
        for (int i = 1; i <= DIRECTORS; i++) {
            List<String> lines = new ArrayList<>(List.of(veth(ETH, "d" + i, router)));
            if (i == 1) {
                lines.add(veth(SYNC_IF, SYNC_IF, topo.director(2)));
            }
            m.put(topo.director(i), lines);
        }
        for (int i = 1; i <= REAL_SERVERS; i++) {
            m.put(topo.realServer(i), List.of(veth(ETH, "rs" + i, router)));
        }
        return m;
    }

    /** Addresses, bridge ports, link states and routes of every namespace; no VIP route when {@code route} is null. */
    Map<String, List<String>> configuration(RouteMode route, GatewayMode gateway) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(topo.client(), client());
        m.put(topo.router(), router(route));
        for (int i = 1; i <= DIRECTORS; i++) {
            m.put(topo.director(i), director(i));
        }
        for (int i = 1; i <= REAL_SERVERS; i++) {
            List<String> lines = realServer(i);
            lines.addAll(gatewayRoutes(gateway));
            m.put(topo.realServer(i), lines);
        }
        return m;
    }

    /** The router's VIP routes for {@code mode} ({@code replace}, so they also switch a running lab). */
    static List<String> vipRoutes(RouteMode mode) {
        return List.of(vipRoute(LabTopology.VIP4 + "/32", mode, false), vipRoute(LabTopology.VIP6 + "/128", mode, true));
    }

    /** The router's VIP routes on-link to the LAN: the VRRP MASTER answers ARP/ND for the VIPs. */
    static List<String> onLinkVipRoutes() {
        return List.of("route replace " + LabTopology.VIP4 + "/32 dev " + BRIDGE,
            "route replace " + LabTopology.VIP6 + "/128 dev " + BRIDGE);
    }

    /** A real server's default routes for {@code mode} ({@code replace}, so they also switch a running lab). */
    static List<String> gatewayRoutes(GatewayMode mode) {
        boolean dr = mode == GatewayMode.DR;
        return List.of("route replace default via " + (dr ? LabTopology.ROUTER_LAN4 : LabTopology.NAT_GATEWAY4)
                + " dev " + ETH,
            "route replace default via " + (dr ? LabTopology.ROUTER_LAN6 : LabTopology.NAT_GATEWAY6) + " dev " + ETH);
    }

    private static String vipRoute(String vip, RouteMode mode, boolean v6) {
        String d1 = v6 ? LabTopology.director6(1) : LabTopology.director4(1);
        String d2 = v6 ? LabTopology.director6(2) : LabTopology.director4(2);
        return switch (mode) {
            case ECMP -> "route replace " + vip + " nexthop via " + d1 + " dev " + BRIDGE + " nexthop via " + d2
                + " dev " + BRIDGE;
            case D1 -> "route replace " + vip + " via " + d1 + " dev " + BRIDGE;
            case D2 -> "route replace " + vip + " via " + d2 + " dev " + BRIDGE;
        };
    }

    private List<String> client() {
        List<String> l = new ArrayList<>(List.of("link set lo up", "link set " + ETH + " up",
            addr4(LabTopology.CLIENT4, 24, ETH), addr6(LabTopology.CLIENT6, 64, ETH)));
        for (InetAddress a : LabTopology.clientSources(false)) {
            l.add(addr4(AddressRange.text(a), 24, ETH));
        }
        for (InetAddress a : LabTopology.clientSources(true)) {
            l.add(addr6(AddressRange.text(a), 64, ETH));
        }
        l.add("route add default via " + LabTopology.ROUTER_CLIENT4 + " dev " + ETH);
        l.add("route add default via " + LabTopology.ROUTER_CLIENT6 + " dev " + ETH);
        return l;
    }

    private static List<String> router(RouteMode route) {
        List<String> l = new ArrayList<>(List.of("link set lo up", "link set " + ROUTER_CLIENT_IF + " up",
            addr4(LabTopology.ROUTER_CLIENT4, 24, ROUTER_CLIENT_IF),
            addr6(LabTopology.ROUTER_CLIENT6, 64, ROUTER_CLIENT_IF)));
        List<String> ports = new ArrayList<>();
        for (int i = 1; i <= DIRECTORS; i++) {
            ports.add("d" + i);
        }
        for (int i = 1; i <= REAL_SERVERS; i++) {
            ports.add("rs" + i);
        }
        for (String port : ports) {
            l.add("link set " + port + " master " + BRIDGE);
            l.add("link set " + port + " up");
        }
        l.add("link set " + BRIDGE + " up");
        l.add(addr4(LabTopology.ROUTER_LAN4, 24, BRIDGE));
        l.add(addr6(LabTopology.ROUTER_LAN6, 64, BRIDGE));
        if (route != null) {
            l.addAll(vipRoutes(route));
        }
        return l;
    }

    private static List<String> director(int i) {
        return new ArrayList<>(List.of("link set lo up", "link set " + ETH + " up",
            addr4(LabTopology.director4(i), 24, ETH), addr6(LabTopology.director6(i), 64, ETH),
            "link set " + SYNC_IF + " up", addr4(LabTopology.sync4(i), 24, SYNC_IF),
            // IPVS sync multicast (224.0.0.81:8848) leaves by the sync link, not by the default route
            "route add 224.0.0.0/4 dev " + SYNC_IF,
            "route add default via " + LabTopology.ROUTER_LAN4 + " dev " + ETH,
            "route add default via " + LabTopology.ROUTER_LAN6 + " dev " + ETH));
    }

    private static List<String> realServer(int i) {
        return new ArrayList<>(List.of("link set lo up", addr4(LabTopology.VIP4, 32, "lo"),
            addr6(LabTopology.VIP6, 128, "lo"), "link set " + ETH + " up",
            addr4(LabTopology.realServer4(i), 24, ETH), addr6(LabTopology.realServer6(i), 64, ETH)));
    }

    private static String veth(String name, String peer, String peerNs) {
        return "link add " + name + " type veth peer name " + peer + " netns " + peerNs;
    }

    private static String addr4(String a, int len, String dev) {
        return "addr add " + a + "/" + len + " dev " + dev;
    }

    private static String addr6(String a, int len, String dev) {
        return "addr add " + a + "/" + len + " dev " + dev + " nodad";
    }
}
