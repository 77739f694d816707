package uvs.lab.net;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Names and addresses of one lab: every namespace name derives from the prefix; interface names are fixed and
 * short because each lives in its own namespace.
 */
public record LabTopology(String prefix) {
    /** Prefix of the default lab ({@code uvs lab up}). */
    public static final String DEFAULT_PREFIX = "uvs";
    /** Number of directors (d1, d2). */
    public static final int DIRECTORS = 2;
    /** Number of real servers (rs1..rs3). */
    public static final int REAL_SERVERS = 3;

    /** Virtual IPv4 address of the lab service. */
    public static final String VIP4 = "10.100.2.100";
    /** Virtual IPv6 address of the lab service. */
    public static final String VIP6 = "fd00:100:2::100";
    /** Port of the real servers' HTTP service. */
    public static final int HTTP_PORT = 80;
    /** Port of the real servers' stream (numbered echo) service. */
    public static final int STREAM_PORT = 9000;

    /** Client address on the client-router link. */
    public static final String CLIENT4 = "10.100.0.2";
    /** Client IPv6 address on the client-router link. */
    public static final String CLIENT6 = "fd00:100::2";
    /** Router address on the client-router link. */
    public static final String ROUTER_CLIENT4 = "10.100.0.1";
    /** Router IPv6 address on the client-router link. */
    public static final String ROUTER_CLIENT6 = "fd00:100::1";
    /** Router address on the LAN bridge: the real servers' gateway in DR mode. */
    public static final String ROUTER_LAN4 = "10.100.1.1";
    /** Router IPv6 address on the LAN bridge. */
    public static final String ROUTER_LAN6 = "fd00:100:1::1";
    /** The real servers' gateway in NAT mode; the active director answers ARP for it. */
    public static final String NAT_GATEWAY4 = "10.100.1.254";
    /** The real servers' IPv6 gateway in NAT mode; the active director answers ND for it. */
    public static final String NAT_GATEWAY6 = "fd00:100:1::254";
    /** First extra client source address (persistence tests); more follow by increment. */
    public static final String CLIENT_SOURCES4 = "10.100.0.100";
    /** First extra client IPv6 source address; more follow by increment. */
    public static final String CLIENT_SOURCES6 = "fd00:100::100";
    /** How many extra client source addresses of each family the lab adds. */
    public static final int CLIENT_SOURCE_COUNT = 100;
    /** Multicast group of IPVS connection sync, routed over the sync link. */
    public static final String SYNC_GROUP = "224.0.0.81";
    /** Interface of the client, directors and real servers towards the router or the LAN. */
    public static final String ETH = "eth0";
    /** The director-to-director sync link. */
    public static final String SYNC_IF = "sync0";
    /** The LAN bridge inside the router namespace. */
    public static final String BRIDGE = "br0";
    /** The router's end of the client link. */
    public static final String ROUTER_CLIENT_IF = "cl0";

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{0,15}");

    /** Checks the prefix: a lower-case letter then up to 15 letters or digits. */
    public LabTopology {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                "lab prefix '" + prefix + "': expected a lower-case letter then up to 15 letters or digits");
        }
    }

    /** The lab with the default prefix. */
    public static LabTopology standard() {
        return new LabTopology(DEFAULT_PREFIX);
    }

    /** The client namespace. */
    public String client() {
        return prefix + "-client";
    }

    /** The router namespace (holds the LAN bridge). */
    public String router() {
        return prefix + "-router";
    }

    /** Director namespace {@code i} (1 or 2). */
    public String director(int i) {
        checkIndex(i, DIRECTORS, "director");
        return prefix + "-d" + i;
    }

    /** Real-server namespace {@code i} (1 to 3). */
    public String realServer(int i) {
        checkIndex(i, REAL_SERVERS, "real server");
        return prefix + "-rs" + i;
    }

    /** All namespaces of the lab, in creation order. */
    public List<String> namespaces() {
        List<String> ns = new ArrayList<>();
        ns.add(client());
        ns.add(router());
        for (int i = 1; i <= DIRECTORS; i++) {
            ns.add(director(i));
        }
        for (int i = 1; i <= REAL_SERVERS; i++) {
            ns.add(realServer(i));
        }
        return List.copyOf(ns);
    }

    /** Directory of the lab's state (server PIDs and logs). */
    public Path stateDir() {
        return Path.of("/run/uvs-lab", prefix);
    }

    /** Director {@code i}'s LAN IPv4 address (10.100.1.2, .3). */
    public static String director4(int i) {
        checkIndex(i, DIRECTORS, "director");
        return "10.100.1." + (1 + i);
    }

    /** Director {@code i}'s LAN IPv6 address (fd00:100:1::2, ::3). */
    public static String director6(int i) {
        checkIndex(i, DIRECTORS, "director");
        return "fd00:100:1::" + (1 + i);
    }

    /** Director {@code i}'s sync-link address (10.100.3.1, .2). */
    public static String sync4(int i) {
        checkIndex(i, DIRECTORS, "director");
        return "10.100.3." + i;
    }

    /** Real server {@code i}'s IPv4 address (10.100.1.11 to .13). */
    public static String realServer4(int i) {
        checkIndex(i, REAL_SERVERS, "real server");
        return "10.100.1." + (10 + i);
    }

    /** Real server {@code i}'s IPv6 address (fd00:100:1::11 to ::13). */
    public static String realServer6(int i) {
        checkIndex(i, REAL_SERVERS, "real server");
        return "fd00:100:1::" + (10 + i);
    }

    /** Name of real server {@code i} as its services report it ({@code rs1}). */
    public static String realServerName(int i) {
        checkIndex(i, REAL_SERVERS, "real server");
        return "rs" + i;
    }

    /** The extra client source addresses of one family ({@code v6} true for IPv6), in order. */
    public static List<InetAddress> clientSources(boolean v6) {
        return AddressRange.of(v6 ? CLIENT_SOURCES6 : CLIENT_SOURCES4, CLIENT_SOURCE_COUNT);
    }

    private static void checkIndex(int i, int max, String what) {
        if (i < 1 || i > max) {
            throw new IllegalArgumentException(what + " " + i + ": expected 1 to " + max);
        }
    }
}
