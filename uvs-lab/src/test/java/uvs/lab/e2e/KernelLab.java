package uvs.lab.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import uvs.lab.kernel.KernelVm;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.LabTopology;
import uvs.lab.net.RouteMode;
import uvs.lab.net.TrafficProcess;

/**
 * The namespace lab with a Linux kernel director beside d1 and d2: the kernel VM boots in namespace
 * {@code <prefix>-kvm}, whose bridges join its LAN tap to the lab's LAN (a veth into the router's bridge) and its
 * sync tap to a sync link that d1 and d2 now share with it (their point-to-point sync veth is replaced by one
 * veth each into that bridge). The kernel director is 10.100.1.4 on the LAN and 10.100.3.3 on the sync link and
 * holds the VIPs on lo, as an IPVS director in direct-routing mode does.
 */
final class KernelLab implements AutoCloseable {
    /** The kernel director's LAN address. */
    static final String KERNEL4 = "10.100.1.4";
    /** The kernel director's LAN IPv6 address. */
    static final String KERNEL6 = "fd00:100:1::4";
    /** The kernel director's sync-link address. */
    static final String KERNEL_SYNC4 = "10.100.3.3";

    private final E2eLab lab;
    private final String ns;
    private final Path work;
    private KernelVm vm;

    private KernelLab(E2eLab lab, String ns, Path work) {
        this.lab = lab;
        this.ns = ns;
        this.work = work;
    }

    /**
     * Builds the lab (route to d2, real servers in DR mode), boots the kernel VM and joins it; skips the calling
     * class where the VM or namespaces cannot run.
     */
    static KernelLab open(String tag) throws IOException, InterruptedException {
        KernelTier.assumeAvailable();
        E2eLab lab = E2eLab.open(tag, RouteMode.D2, GatewayMode.DR);
        KernelLab k = new KernelLab(lab, lab.topo().prefix() + "-kvm", KernelTier.workDir(tag));
        try {
            k.join();
        } catch (IOException | InterruptedException | RuntimeException e) {
            k.close();
            throw e;
        }
        return k;
    }

    private void join() throws IOException, InterruptedException {
        LabTopology t = lab.topo();
        KernelTier.namespace(ns, List.of("link set lo up",
            "link add brl type bridge mcast_snooping 0", "link add brs type bridge mcast_snooping 0",
            "link add lan type veth peer name kv netns " + t.router()));
        KernelTier.ip(t.router(), List.of("link set kv master " + LabTopology.BRIDGE, "link set kv up"));
        // the lab's d1-d2 sync veth becomes two veths into the sync bridge here
        KernelTier.ip(t.director(1), List.of("link del " + LabTopology.SYNC_IF));
        for (int i = 1; i <= LabTopology.DIRECTORS; i++) {
            KernelTier.ip(ns, List.of("link add s" + i + " type veth peer name " + LabTopology.SYNC_IF + " netns "
                + t.director(i), "link set s" + i + " master brs", "link set s" + i + " up"));
            KernelTier.ip(t.director(i), List.of("link set " + LabTopology.SYNC_IF + " up",
                "addr add " + LabTopology.sync4(i) + "/24 dev " + LabTopology.SYNC_IF,
                "route add 224.0.0.0/4 dev " + LabTopology.SYNC_IF));
            E2eLab.run(List.of("ip", "netns", "exec", t.director(i), "sysctl", "-q", "-w",
                "net.ipv4.conf." + LabTopology.SYNC_IF + ".rp_filter=0"));
        }
        vm = KernelVm.boot(ns, work.resolve("vm"));
        KernelTier.ip(ns, List.of("link set " + KernelVm.LAN_TAP + " master brl", "link set lan master brl",
            "link set " + KernelVm.SYNC_TAP + " master brs", "link set " + KernelVm.LAN_TAP + " up",
            "link set " + KernelVm.SYNC_TAP + " up", "link set lan up", "link set brl up", "link set brs up"));
        vm.runOk(String.join("\n",
            "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad",
            // a guest without KVM on a loaded host can stall for seconds: a neighbour entry probed meanwhile may
            // fail with its answers unread; entries that stay reachable for the test need no probing
            "echo 600000 > /proc/sys/net/ipv4/neigh/eth0/base_reachable_time_ms",
            "echo 600000 > /proc/sys/net/ipv6/neigh/eth0/base_reachable_time_ms",
            "ip link set eth0 up && ip link set eth1 up",
            "ip addr add " + KERNEL4 + "/24 dev eth0 && ip -6 addr add " + KERNEL6 + "/64 dev eth0",
            "ip addr add " + KERNEL_SYNC4 + "/24 dev eth1 && ip route add 224.0.0.0/4 dev eth1",
            "ip route add default via " + LabTopology.ROUTER_LAN4,
            "ip addr add " + LabTopology.VIP4 + "/32 dev lo && ip -6 addr add " + LabTopology.VIP6 + "/128 dev lo"));
    }

    /** The lab. */
    E2eLab lab() {
        return lab;
    }

    /** The kernel VM. */
    KernelVm vm() {
        return vm;
    }

    /** Runs ipvsadm with {@code args} in the VM; fails with its error output. */
    String ipvsadm(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ipvsadm"));
        argv.addAll(List.of(args));
        return vm.runOk(KernelVm.quote(argv));
    }

    /** Loads {@code rules} (ipvsadm-save lines) into the kernel after clearing its table. */
    void rules(String rules) throws IOException {
        vm.runOk("ipvsadm -C && ipvsadm -R <<'EOF'\n" + rules + "EOF\n");
    }

    /** Points the router's VIP routes at the kernel director. */
    void routeToKernel() {
        KernelTier.ip(lab.topo().router(), List.of(
            "route replace " + LabTopology.VIP4 + "/32 via " + KERNEL4 + " dev " + LabTopology.BRIDGE,
            "route replace " + LabTopology.VIP6 + "/128 via " + KERNEL6 + " dev " + LabTopology.BRIDGE));
    }

    /**
     * The lab's diagnostics, the traffic processes' last lines, the neighbours of the real servers and the kernel
     * (who answers for the NAT gateway), and the VM's console tail.
     */
    String diagnostics(TrafficProcess... traffic) {
        StringBuilder b = new StringBuilder(lab.diagnostics(traffic));
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            b.append("\n--- rs").append(i).append(" ip -4 neigh:\n")
                .append(E2eLab.run(List.of("ip", "-n", lab.topo().realServer(i), "-4", "neigh")).out());
        }
        if (vm != null && vm.alive()) {
            try {
                b.append("\n--- kernel ip -4 neigh:\n")
                    .append(vm.run("ip -4 neigh; ip -4 addr show dev eth0").stdout());
            } catch (IOException e) {
                b.append("\n--- kernel: ").append(e.getMessage());
            }
        }
        return b.append("\n--- kernel VM console:\n").append(vm == null ? "(none)" : vm.consoleTail()).toString();
    }

    /** Stops the VM, removes its namespace and the lab. */
    @Override
    public void close() throws IOException {
        try {
            if (vm != null) {
                vm.close();
            }
        } finally {
            KernelTier.removeNamespace(ns);
            lab.close();
        }
    }
}
