package uvs.lab.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The director set-ups the data-plane bench compares, all on lab director d1. */
public enum Setup {
    /** d1's kernel forwards (ip_forward=1) with a VIP/32 route via rs1; no load balancing. */
    KERNEL_ROUTING("kernel_routing", "d1 kernel forwarding (ip_forward=1), route VIP/32 via rs1, no load balancer"),
    /** d1's kernel with an nftables DNAT load balancer (numgen inc mod 3), conntrack translating the replies. */
    NFTABLES("nftables_dnat", "d1 kernel ip_forward=1 + nftables 'dnat to numgen inc mod 3 map {rs1,rs2,rs3}', "
        + "real servers reply through d1 (10.100.1.254 on d1), conntrack reverses the translation"),
    /** A tcx ingress program on d1 sends the VIP's frames back out to rs1: forwarding at the TC hook, no balancing. */
    TC_REDIRECT("tc_redirect", "d1: a tcx ingress program (BPF, sched_cls) rewrites each IPv4 frame to the VIP for rs1 "
        + "(MACs, TTL) and redirects it out of eth0, counting it in a map as UVS's fast path does; no flow table, no "
        + "load balancer, ip_forward=0"),
    /** uvsd's data plane on d1 eth0, direct routing to the three real servers. */
    UVS_DR("uvs_dr", "uvsd data plane on d1 eth0 (AF_PACKET TPACKET_V3, one engine thread), ip_forward=0, "
        + "rr, direct routing (-g) to rs1..rs3"),
    /** The same with two data-plane workers (a PACKET_FANOUT group, one engine shard each). */
    UVS_DR_2W("uvs_dr_2workers", "uvsd data plane on d1 eth0 with --workers 2 (PACKET_FANOUT, two engine shards), "
        + "ip_forward=0, rr, direct routing (-g) to rs1..rs3"),
    /** uvsd's data plane on d1 eth0, masquerading, answering ARP for the real servers' gateway. */
    UVS_NAT("uvs_nat", "uvsd data plane on d1 eth0, ip_forward=0, rr, NAT (-m) to rs1..rs3, --announce 10.100.1.254 "
        + "(the real servers' gateway), replies translated by UVS"),
    /** uvsd's data plane over AF_XDP, direct routing. */
    UVS_DR_AF_XDP("uvs_dr_af_xdp", "uvsd data plane on d1 eth0 with --io af_xdp (UVS's XDP program in native mode "
        + "steers the VIP's frames to an AF_XDP socket, copy mode on veth), ip_forward=0, rr, direct routing (-g) to "
        + "rs1..rs3"),
    /** uvsd's data plane over AF_XDP, masquerading. */
    UVS_NAT_AF_XDP("uvs_nat_af_xdp", "uvsd data plane on d1 eth0 with --io af_xdp, ip_forward=0, rr, NAT (-m) to "
        + "rs1..rs3, --announce 10.100.1.254, replies steered to UVS by the XDP program and translated by UVS"),
    /** uvsd over AF_PACKET with the fast path at traffic control's ingress (tcx), direct routing. */
    TCX_FASTPATH_DR("af_packet_tcx_fastpath_dr", "uvsd data plane on d1 eth0 with --io af_packet --fast-path on: "
        + "the first packet of each flow goes through UVS (packet sockets bound to IPv4, IPv6 and ARP), which "
        + "installs the flow; the rest are rewritten and redirected out of eth0 by UVS's program at tcx ingress, "
        + "on the skb as it came; rr, direct routing (-g) to rs1..rs3"),
    /** The same with NAT. */
    TCX_FASTPATH_NAT("af_packet_tcx_fastpath_nat", "the same as af_packet_tcx_fastpath_dr with NAT (-m) to rs1..rs3 and "
        + "--announce 10.100.1.254: the program rewrites addresses and ports, the transport checksum through the "
        + "kernel's checksum helpers"),
    /** uvsd over AF_XDP with the XDP fast path, direct routing. */
    FASTPATH_DR("af_xdp_fastpath_dr", "uvsd data plane on d1 eth0 with --io af_xdp --fast-path on: the first "
        + "packet of each flow goes through UVS, which installs the flow; the rest are rewritten and sent back out "
        + "(XDP_TX) by UVS's XDP program in d1's driver; a pass-everything XDP program on the router's end of the "
        + "veth lets those frames in; rr, direct routing (-g) to rs1..rs3"),
    /** uvsd over AF_XDP with the XDP fast path, masquerading. */
    FASTPATH_NAT("af_xdp_fastpath_nat", "the same as af_xdp_fastpath_dr with NAT (-m) to rs1..rs3 and --announce "
        + "10.100.1.254: the XDP program rewrites the destination address and port with incremental checksums");

    private final String key;
    private final String description;

    Setup(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** The set-up whose report key is {@code key}. */
    public static Optional<Setup> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    /** Every set-up's report key, in bench order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(Setup::key).toList();
    }

    /** Its name in the report. */
    public String key() {
        return key;
    }

    /** What it runs, for the report. */
    public String description() {
        return description;
    }
}
