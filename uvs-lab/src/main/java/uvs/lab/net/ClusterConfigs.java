package uvs.lab.net;

import java.nio.file.Path;
import java.util.List;

/**
 * The lab's keepalived and BIRD configurations, rendered from its addresses: what an operator writes from
 * {@code packaging/keepalived/keepalived.conf} and {@code packaging/bird/*.conf} for the same network.
 */
public final class ClusterConfigs {
    /** The lab's VRRP instance. */
    public static final String VRRP_INSTANCE = "VI_1";
    /** Its virtual router id. */
    public static final int VRID = 51;
    /** The routers' AS number. */
    public static final long ROUTER_AS = 65000;
    /** The directors' AS number. */
    public static final long DIRECTOR_AS = 65100;
    /** BFD interval of the lab, in ms (multiplier 3: a silent director is dropped after 600 ms). */
    public static final int BFD_MILLIS = 200;

    private ClusterConfigs() {
    }

    /** VRRP priority of director {@code i}: d1 is preferred. */
    public static int priority(int i) {
        return i == 1 ? 150 : 100;
    }

    /**
     * keepalived.conf of director {@code i}: the VRRP instance holding the VIPs and the NAT gateway, the track
     * script on uvsd's state file, the sync daemon for uvsd (an {@code @uvs} line), then {@code virtualServers}.
     *
     * @param advertInt VRRP advertisement interval in seconds (keepalived's default is 1)
     */
    public static String keepalived(int i, int priority, double advertInt, boolean sync, Path check,
                                    Path stateFile, String virtualServers) {
        return "! keepalived.conf of lab director d" + i + " (keepalived --vrrp runs the VRRP part; uvsd --import "
            + "runs the rest)\n"
            + "global_defs {\n"
            + "    router_id d" + i + "\n"
            + "    script_user root\n"
            + "    enable_script_security\n"
            + (sync ? "@uvs lvs_sync_daemon " + LabTopology.SYNC_IF + " " + VRRP_INSTANCE + " id 1\n" : "")
            + "}\n"
            + "vrrp_script uvsd_alive {\n"
            + "    script \"" + check + " " + stateFile + "\"\n"
            + "    interval 1\n"
            // a run slowed by a loaded machine is not a dead uvsd (keepalived times a script out after interval)
            + "    timeout 3\n"
            + "    fall 1\n"
            + "    rise 1\n"
            + "}\n"
            + "vrrp_instance " + VRRP_INSTANCE + " {\n"
            + "    state BACKUP\n"
            // advertisement intervals under a second need VRRP version 3 (centiseconds)
            + (advertInt < 1 ? "    version 3\n" : "")
            + "    interface " + LabTopology.ETH + "\n"
            + "    virtual_router_id " + VRID + "\n"
            + "    priority " + priority + "\n"
            + "    advert_int " + advert(advertInt) + "\n"
            + "    virtual_ipaddress {\n"
            + "        " + LabTopology.VIP4 + "/32\n"
            + "        " + LabTopology.NAT_GATEWAY4 + "/24\n"
            + "    }\n"
            + "    virtual_ipaddress_excluded {\n"
            + "        " + LabTopology.VIP6 + "/128\n"
            + "        " + LabTopology.NAT_GATEWAY6 + "/64\n"
            + "    }\n"
            + "    track_script {\n"
            + "        uvsd_alive\n"
            + "    }\n"
            + "}\n"
            + virtualServers;
    }

    private static String advert(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

    /** The router's BIRD: BGP with BFD to both directors, both families, ECMP into the kernel. */
    public static String birdRouter() {
        StringBuilder b = new StringBuilder();
        b.append("router id ").append(LabTopology.ROUTER_LAN4).append(";\n")
            .append("protocol device { }\n")
            .append("protocol bfd { interface \"").append(LabTopology.BRIDGE).append("\" { min rx interval ")
            .append(BFD_MILLIS).append(" ms; min tx interval ").append(BFD_MILLIS).append(" ms; multiplier 3; }; }\n")
            .append("protocol kernel { ipv4 { export where proto ~ \"dir*\"; }; merge paths yes; }\n")
            .append("protocol kernel { ipv6 { export where proto ~ \"dir*\"; }; merge paths yes; }\n")
            .append("template bgp director { local as ").append(ROUTER_AS)
            .append("; bfd on; connect retry time 5; error wait time 1, 30; }\n");
        for (int i = 1; i <= LabTopology.DIRECTORS; i++) {
            b.append("protocol bgp dir").append(i).append("v4 from director { neighbor ")
                .append(LabTopology.director4(i)).append(" as ").append(DIRECTOR_AS)
                .append("; ipv4 { import all; export none; }; }\n");
            b.append("protocol bgp dir").append(i).append("v6 from director { neighbor ")
                .append(LabTopology.director6(i)).append(" as ").append(DIRECTOR_AS)
                .append("; ipv6 { import all; export none; }; }\n");
        }
        return b.toString();
    }

    /** Director {@code i}'s BIRD: what uvsd writes into {@code includeDir} is all it announces. */
    public static String birdDirector(int i, Path includeDir) {
        return "router id " + LabTopology.director4(i) + ";\n"
            + "protocol device { }\n"
            + "include \"" + includeDir + "/*.conf\";\n";
    }

    /** The uvsd options that make director {@code i} announce its VIPs through its BIRD. */
    public static List<String> uvsdBgpOptions(Path birdSocket, Path include) {
        return List.of("--bgp-peer", LabTopology.ROUTER_LAN4 + "," + LabTopology.ROUTER_LAN6,
            "--bgp-as", String.valueOf(DIRECTOR_AS), "--bgp-peer-as", String.valueOf(ROUTER_AS),
            "--bfd", BFD_MILLIS + ",3", "--bird-socket", birdSocket.toString(), "--bird-include", include.toString());
    }
}
