package uvs.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import uvs.core.EngineConfig;
import uvs.core.conn.ConnTable;
import uvs.core.net.IpAddress;
import uvs.ctl.model.DataPlaneSpec;
import uvs.ctl.model.FastPathChoice;
import uvs.ctl.model.PacketIoChoice;
import uvs.daemon.cluster.BgpSpec;
import uvs.daemon.cluster.ClusterSpec;
import uvs.net.sys.MissingCapabilityException;
import uvs.net.sys.NativeException;
import uvs.time.SystemNanoClock;

/** {@code uvsd}: the UVS daemon. */
@Command(name = "uvsd", mixinStandardHelpOptions = true, versionProvider = UvsVersion.Provider.class,
    description = {"The UVS director daemon: holds the engine and serves uvsadm on a Unix socket.",
        "Without --interface it runs the control plane only (rules, tunables, monitoring)."})
public final class UvsdMain implements Callable<Integer> {
    @Option(names = "--rules", description = "rules in ipvsadm-save format, applied all or nothing")
    Path rules;

    @Option(names = "--import", description = "a keepalived.conf or ldirectord.cf to run as configuration: "
        + "its services, health checks and sync daemons; with --rules, that file adds services to it")
    Path importFile;

    @Option(names = "--sysctl", description = "tunables in sysctl syntax (net.ipv4.vs.NAME = VALUE)")
    Path sysctl;

    @Option(names = "--control-socket", description = "control socket (default $UVS_CONTROL_SOCKET or "
        + ControlServer.DEFAULT_PATH + ")")
    Path socket;

    @Option(names = "--allow-user", description = "a non-root user also allowed on the control socket (made its owner)")
    String allowUser;

    @Option(names = "--allow-group", description = "a group whose members are also allowed on the control socket "
        + "(made its group, mode 0660)")
    String allowGroup;

    @Option(names = "--metrics-port", defaultValue = "9720",
        description = "Prometheus port on --metrics-host (default ${DEFAULT-VALUE}; -1 turns metrics off)")
    int metricsPort;

    @Option(names = "--metrics-host", defaultValue = "127.0.0.1", description = "Prometheus listen address (default ${DEFAULT-VALUE})")
    String metricsHost;

    @Option(names = "--proc-dir", defaultValue = "/run/uvs/proc/net",
        description = "where to keep the ip_vs procfs views (default ${DEFAULT-VALUE}; 'none' turns them off)")
    String procDir;

    @Option(names = "--proc-group", paramLabel = "GROUP",
        description = "only this group may read the procfs views (their directory mode 0750, files 0640); "
            + "default: world-readable, as the kernel's /proc/net/ip_vs")
    String procGroup;

    @Option(names = "--capacity", defaultValue = "1048576", description = "IPv4 connection entries (default ${DEFAULT-VALUE})")
    int capacity;

    @Option(names = "--interface", paramLabel = "IF", split = ",",
        description = "run the packet data plane on this interface (repeatable, or a list: each packet leaves by "
            + "the interface its next hop is routed through; needs CAP_NET_RAW and CAP_NET_ADMIN)")
    List<String> ifaces = new ArrayList<>();

    @Option(names = "--unres-qlen", defaultValue = "3", paramLabel = "N",
        description = "packets kept per next hop while its MAC is resolved, like the kernel's unres_qlen "
            + "(default ${DEFAULT-VALUE}; 0 drops them)")
    int unresQlen;

    @Option(names = "--announce", paramLabel = "ADDR", split = ",",
        description = "answer ARP/ND for these addresses on --interface (VRRP-style VIPs, the NAT gateway); with "
            + "several interfaces, announced on the one the address's subnet is routed to")
    List<String> announce = new ArrayList<>();

    @Option(names = "--workers", defaultValue = "1",
        description = "data-plane workers, each with its own engine shard (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--io", defaultValue = "af_packet", paramLabel = "af_xdp|af_packet|auto",
        description = "packet port of the data plane: af_packet (every frame copied to UVS), af_xdp (UVS's XDP "
            + "program passes UVS only its frames through AF_XDP sockets; one worker) or auto (af_xdp where it "
            + "works, else af_packet; the log says which and why) (default ${DEFAULT-VALUE})")
    String io;

    @Option(names = "--fast-path", defaultValue = "auto", paramLabel = "auto|on|off",
        description = "forward established TCP and UDP connections (DR and NAT) in UVS's BPF program and fold "
            + "their counters into the connection table every 500 ms: in XDP with AF_XDP ports, at traffic "
            + "control's ingress (tcx, Linux 6.6+) with AF_PACKET ones; auto: on with AF_XDP except on virtual "
            + "interfaces such as veth, off with AF_PACKET (default ${DEFAULT-VALUE})")
    String fastPath;

    @Option(names = "--fast-path-entries", defaultValue = "262144", paramLabel = "N",
        description = "flow directions the fast path holds (DR: 1 per connection, NAT: 2); past it, "
            + "connections stay with UVS's worker (default ${DEFAULT-VALUE})")
    int fastPathEntries;

    @Option(names = "--burst", defaultValue = "64", description = "frames per data-plane burst (default ${DEFAULT-VALUE})")
    int burst;

    @Option(names = "--vip-guard", description = "keep this host's kernel from answering TCP/UDP/SCTP to the "
        + "service addresses (nftables table inet uvs_vip_guard): needed where keepalived puts the VIP on the "
        + "interface")
    boolean vipGuard;

    @Option(names = "--state-file", defaultValue = "/run/uvs/uvsd.state", paramLabel = "FILE",
        description = "'PID running|draining' for keepalived's track script uvsd-check (default ${DEFAULT-VALUE}; "
            + "'none' turns it off)")
    String stateFile;

    @Option(names = "--bgp-peer", paramLabel = "ADDR", split = ",",
        description = "announce the available VIPs to this router through BIRD (repeatable)")
    List<String> bgpPeers = new ArrayList<>();

    @Option(names = "--bgp-as", paramLabel = "ASN", defaultValue = "0", description = "this director's AS number")
    long bgpAs;

    @Option(names = "--bgp-peer-as", paramLabel = "ASN", defaultValue = "0", description = "the routers' AS number")
    long bgpPeerAs;

    @Option(names = "--bfd", defaultValue = "100,3", paramLabel = "MS,MULT|off",
        description = "BFD on the BGP sessions: interval in ms and multiplier (default ${DEFAULT-VALUE})")
    String bfd;

    @Option(names = "--bird-socket", paramLabel = "PATH", description = "BIRD's control socket (default "
        + "/run/bird/bird.ctl)")
    Path birdSocket = BgpSpec.DEFAULT_SOCKET;

    @Option(names = "--bird-include", paramLabel = "FILE", description = "the file uvsd writes for BIRD's "
        + "configuration to include (default /run/uvs/bird/uvsd.conf)")
    Path birdInclude = BgpSpec.DEFAULT_INCLUDE;

    @Option(names = "--bgp-device", paramLabel = "NAME", description = "the interface uvsd holds and routes its "
        + "VIPs to, gone with uvsd (default " + BgpSpec.DEFAULT_DEVICE + ")")
    String bgpDevice = BgpSpec.DEFAULT_DEVICE;

    @Option(names = "--drain-seconds", paramLabel = "N", defaultValue = "-1",
        description = "after SIGTERM, forward for N s once the VIPs are given up (default 5 with --bgp-peer or "
            + "--vip-guard, else 0)")
    int drainSeconds;

    /** Runs uvsd until SIGTERM; exits 1 when it cannot start, {@value Supervisor#EXIT_FAILED} when a part of it failed. */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new UvsdMain());
        // a bad argument is a user error: one line, no stack trace
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("uvsd: " + Messages.of(e));
            return 1;
        });
        cl.setParameterExceptionHandler((e, args2) -> {
            System.err.println("uvsd: " + Messages.clip(e.getMessage()));
            System.err.println("Try 'uvsd --help' for more information.");
            return 2;
        });
        System.exit(cl.execute(args));
    }

    private ClusterSpec clusterSpec() {
        BgpSpec bgp = null;
        if (bgpPeers.isEmpty() && (bgpAs != 0 || bgpPeerAs != 0)) {
            throw new IllegalArgumentException("--bgp-as and --bgp-peer-as need --bgp-peer");
        }
        if (!bgpPeers.isEmpty()) {
            int[] b = BgpSpec.parseBfd(bfd);
            bgp = new BgpSpec(bgpPeers.stream().map(UvsdMain::address).toList(), bgpAs, bgpPeerAs, b[0], b[1],
                birdSocket, birdInclude, bgpDevice);
        }
        int drain = drainSeconds >= 0 ? drainSeconds : bgp != null || vipGuard ? 5 : 0;
        return new ClusterSpec(vipGuard, bgp, "none".equals(stateFile) ? null : Path.of(stateFile),
            Duration.ofSeconds(drain));
    }

    private static IpAddress address(String text) {
        try {
            return IpAddress.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--bgp-peer '" + text + "': not an IPv4 or IPv6 address");
        }
    }

    @Override
    public Integer call() throws Exception {
        Path sock = socket != null ? socket : ControlServer.pathFromEnvironment();
        ReloadSignal hangUp = ReloadSignal.install();
        Uvsd uvsd;
        try {
            if (capacity < 1 || capacity > ConnTable.MAX_CAPACITY) {
                throw new IllegalArgumentException("--capacity " + capacity + ": must be 1.."
                    + ConnTable.MAX_CAPACITY);
            }
            EngineConfig cfg = EngineConfig.defaults().withCapacity(capacity, EngineConfig.DEFAULT_CONN_CAPACITY6);
            DataPlaneSpec dp = null;
            if (!ifaces.isEmpty()) {
                dp = new DataPlaneSpec(ifaces, announce.stream().map(IpAddress::parse).toList(), burst,
                    workers, unresQlen, PacketIoChoice.parse(io), FastPathChoice.parse(fastPath), fastPathEntries);
            } else if (!announce.isEmpty()) {
                throw new IllegalArgumentException("--announce needs --interface");
            }
            ClusterSpec cluster = clusterSpec();
            uvsd = new Uvsd(new UvsdConfig(SystemNanoClock.INSTANCE, cfg, rules, sysctl, importFile, sock, allowUser,
                metricsHost, metricsPort, "none".equals(procDir) ? null : Path.of(procDir), dp, allowGroup, procGroup),
                Supervisor.exitingProcess());
            try {
                uvsd.startCluster(cluster);
            } catch (RuntimeException e) {
                uvsd.close();
                throw e;
            }
        } catch (IllegalArgumentException | MissingCapabilityException | NativeException
                 | IOException e) {
            System.err.println("uvsd: " + Messages.of(e).replace('\n', ' '));
            return 1;
        } catch (OutOfMemoryError e) {
            System.err.println("uvsd: not enough memory for --capacity " + capacity + " (raise -Xmx or lower --capacity)");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                uvsd.drain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                uvsd.close();
            } catch (IOException e) {
                System.err.println("uvsd: " + e.getMessage());
            }
            stopped.countDown();
        }));
        // each reload on a thread of its own, off the signal thread, one at a time (Uvsd.reload is synchronized)
        hangUp.running(() -> uvsd.supervisor().start("uvs-reload", uvsd::reload));
        stopped.await();
        return 0;
    }
}
