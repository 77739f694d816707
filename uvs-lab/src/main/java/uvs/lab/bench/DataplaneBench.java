package uvs.lab.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import uvs.core.net.IpAddress;
import uvs.lab.demo.LabDirector;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.Lab;
import uvs.lab.net.LabTopology;
import uvs.lab.net.NamespaceProcess;
import uvs.lab.net.RouteMode;
import uvs.lab.net.Shell;
import uvs.net.packet.Ethernet;

/**
 * {@code uvs bench dataplane}: forwarded UDP packets/s and new TCP connections/s through lab director d1 as a
 * routing kernel, an nftables DNAT load balancer and UVS (direct routing and NAT); writes the JSON report.
 * Builds its own lab (prefix {@value #PREFIX}) and removes it at the end, also after a failure.
 */
public final class DataplaneBench {
    /** Lab prefix of the bench. */
    public static final String PREFIX = "uvsbench";
    /** UDP port the blaster sends to. */
    public static final int UDP_PORT = 9999;
    /** TCP port of the accept-and-close servers. */
    public static final int TCP_PORT = 9100;
    private static final String NAT_GATEWAY = LabTopology.NAT_GATEWAY4;
    private static final String NFT_TABLE = "uvsbench";
    // the sender and the client need the optimising compiler: the lab's small-JVM defaults stop at C1
    private static final List<String> BLASTER_JVM = List.of("-Xmx128m", "-XX:TieredStopAtLevel=4");
    private static final int FRAME_LENGTH = UdpFrame.MIN_LENGTH;
    private static final long SETTLE_MILLIS = 300;

    private final int seconds;
    private final int runs;
    private final int flows;
    private final int threads;
    private final Set<Setup> setups;
    private final Path out;
    private final PrintWriter log;
    private final LabTopology topo = new LabTopology(PREFIX);
    private final List<String> notes = new ArrayList<>();
    private long directorMac;
    private TcRedirect tcRedirect;
    private long portMac;

    /**
     * A bench of {@code runs} measurements of {@code seconds} each per metric and set-up, {@code flows} UDP
     * flows, {@code threads} connecting threads, of the given set-ups, writing its report to {@code out} and
     * progress to {@code log}.
     */
    public DataplaneBench(int seconds, int runs, int flows, int threads, Set<Setup> setups, Path out,
            PrintWriter log) {
        this.seconds = seconds;
        this.runs = runs;
        this.flows = flows;
        this.threads = threads;
        this.setups = EnumSet.copyOf(setups);
        this.out = out;
        this.log = log;
    }

    /** Runs every set-up and writes the report; returns the exit status. */
    public int run() throws IOException, InterruptedException {
        for (String tool : List.of("ip", "sysctl")) {
            if (!Shell.installed(tool)) {
                say("missing " + tool + " (iproute2/procps): cannot build the lab");
                return 1;
            }
        }
        boolean nft = Shell.installed("nft");
        if (!nft) {
            note("nft (Debian package nftables) is missing: the nftables set-up is skipped and the real servers "
                + "answer the blaster with (rate-limited) ICMP port unreachable");
        }
        if (!Shell.installed("ethtool")) {
            note("ethtool is missing: the lab could not turn checksum offloads off (only gso_max_segs 1)");
        }
        note("load average at start (1/5/15 min): " + DataplaneReport.loadAverage() + " on "
            + Runtime.getRuntime().availableProcessors() + " cores");
        Lab lab = new Lab(topo);
        Path work = Files.createTempDirectory("uvs-bench");
        List<NamespaceProcess> servers = new ArrayList<>();
        Map<Setup, Result> results = new EnumMap<>(Setup.class);
        try {
            say("building the lab (namespaces " + PREFIX + "-*)");
            lab.up(RouteMode.D1, GatewayMode.DR);
            int queues = Runtime.getRuntime().availableProcessors();
            if (lab.directorQueues(1, queues)) {
                note("d1's veth has " + queues + " receive and transmit queues at both ends (one per core, as a "
                    + "multi-queue NIC): XDP on a veth receives in one NAPI context per queue");
            }
            for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
                NamespaceProcess s = NamespaceProcess.start("accept-server-rs" + i, topo.realServer(i),
                    AcceptServerMain.class, List.of(), List.of("--port", String.valueOf(TCP_PORT)));
                servers.add(s);
                s.awaitLine(BlasterMain.READY, Duration.ofMillis(30_000));
                if (nft) {
                    // the real servers drop the blast before their UDP stack: no ICMP back, least CPU spent there
                    Sh.run(List.of("ip", "netns", "exec", topo.realServer(i), "nft", "-f", "-"),
                        "table ip " + NFT_TABLE + " {\n  chain pre {\n    type filter hook prerouting priority -300;\n"
                            + "    udp dport " + UDP_PORT + " drop\n  }\n}\n");
                }
            }
            directorMac = Ethernet.parseMac(Sh.in(topo.director(1), "cat", "/sys/class/net/eth0/address"));
            portMac = Ethernet.parseMac(Sh.in(topo.router(), "cat", "/sys/class/net/d1/address"));
            for (Setup s : setups) {
                if (s == Setup.NFTABLES && !nft) {
                    continue;
                }
                results.put(s, measure(lab, s, work));
            }
            String json = Json.write(DataplaneReport.report(results, seconds, runs, flows, threads, FRAME_LENGTH, notes));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, json);
            say("wrote " + out);
            log.print(DataplaneReport.summary(results));
            log.flush();
            return 0;
        } finally {
            for (NamespaceProcess s : servers) {
                s.close();
            }
            say("removing the lab");
            lab.down();
            deleteTree(work);
        }
    }

    /** The measurements of one set-up: a warm-up, then the UDP runs, then the TCP runs. */
    private Result measure(Lab lab, Setup setup, Path work) throws IOException, InterruptedException {
        say(setup.key() + ": " + setup.description());
        LabDirector uvsd = null;
        try {
            uvsd = apply(lab, setup, work);
            OptionalLong pid = uvsd == null ? OptionalLong.empty() : uvsdPid();
            // warm-up: ARP/neighbour entries, conntrack, and the JIT of uvsd
            blast(1, 1, pid, uvsd);
            connect(1);
            List<UdpRun> udp = new ArrayList<>();
            List<UdpRun> udp2 = new ArrayList<>();
            for (int senders = 1; senders <= 2; senders++) {
                for (int r = 0; r < runs; r++) {
                    UdpRun u = blast(seconds, senders, pid, uvsd);
                    (senders == 1 ? udp : udp2).add(u);
                    say(String.format("  udp run %d, %d sender(s): %,.0f pps delivered (sent %,.0f pps, %,d refused "
                        + "by d1's queue)", r + 1, senders, u.deliveredPps(), u.sentPps(), u.senderDropped()));
                }
            }
            List<TcpRun> tcp = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                TcpRun t = connect(seconds);
                tcp.add(t);
                say(String.format("  tcp run %d: %,.0f connections/s (%d failed)", r + 1, t.cps(), t.failed()));
            }
            return new Result(setup, udp, udp2, tcp);
        } catch (IOException | RuntimeException e) {
            if (uvsd != null) {
                say("uvsd log:\n" + uvsd.logTail());
            }
            throw e;
        } finally {
            undo(lab, setup, uvsd);
        }
    }

    private LabDirector apply(Lab lab, Setup setup, Path work) throws IOException {
        String d1 = topo.director(1);
        switch (setup) {
            case KERNEL_ROUTING -> {
                kernelForwarding(true);
                Sh.run(List.of("ip", "-n", d1, "route", "replace", LabTopology.VIP4 + "/32", "via",
                    LabTopology.realServer4(1), "dev", LabTopology.ETH));
                return null;
            }
            case TC_REDIRECT -> {
                long rs1 = Ethernet.parseMac(Sh.in(topo.realServer(1), "cat", "/sys/class/net/eth0/address"));
                tcRedirect = new TcRedirect(IpAddress.parse(LabTopology.VIP4), rs1, directorMac);
                try {
                    tcRedirect.attach(d1, LabTopology.ETH);
                } catch (Exception e) {
                    throw new IOException("tc_redirect: " + e.getMessage(), e);
                }
                return null;
            }
            case NFTABLES -> {
                lab.realServerGateway(GatewayMode.NAT);
                Sh.run(List.of("ip", "-n", d1, "addr", "add", NAT_GATEWAY + "/24", "dev", LabTopology.ETH));
                kernelForwarding(true);
                Sh.run(List.of("ip", "netns", "exec", d1, "nft", "-f", "-"), nftRuleset());
                return null;
            }
            case UVS_DR, UVS_DR_2W, UVS_NAT, UVS_DR_AF_XDP, UVS_NAT_AF_XDP, TCX_FASTPATH_DR, TCX_FASTPATH_NAT,
                 FASTPATH_DR, FASTPATH_NAT -> {
                boolean nat = setup == Setup.UVS_NAT || setup == Setup.UVS_NAT_AF_XDP || setup == Setup.FASTPATH_NAT
                    || setup == Setup.TCX_FASTPATH_NAT;
                boolean tcx = setup == Setup.TCX_FASTPATH_DR || setup == Setup.TCX_FASTPATH_NAT;
                boolean fastPath = setup == Setup.FASTPATH_DR || setup == Setup.FASTPATH_NAT;
                if (nat) {
                    lab.realServerGateway(GatewayMode.NAT);
                }
                LabDirector d = new LabDirector("d1", d1, work);
                boolean xdp = setup == Setup.UVS_DR_AF_XDP || setup == Setup.UVS_NAT_AF_XDP || fastPath;
                d.io(xdp ? "af_xdp" : "af_packet");
                d.options(List.of("--fast-path", fastPath || tcx ? "on" : "off"));
                if (fastPath) {
                    lab.acceptXdpFrames(1);
                }
                try {
                    d.start(uvsRules(nat), "", LabTopology.ETH, nat ? List.of(NAT_GATEWAY) : List.of(),
                        setup == Setup.UVS_DR_2W ? 2 : 1);
                } catch (IOException | RuntimeException e) {
                    d.close();
                    throw e;
                }
                return d;
            }
            default -> throw new IllegalStateException("unknown set-up " + setup);
        }
    }

    private void undo(Lab lab, Setup setup, LabDirector uvsd) throws IOException {
        String d1 = topo.director(1);
        if (uvsd != null) {
            uvsd.close();
        }
        switch (setup) {
            case KERNEL_ROUTING -> Sh.run(List.of("ip", "-n", d1, "route", "del", LabTopology.VIP4 + "/32"));
            case TC_REDIRECT -> {
                if (tcRedirect != null) {
                    note("tc_redirect: the tcx program redirected " + tcRedirect.packets() + " packets");
                    tcRedirect.close();
                    tcRedirect = null;
                }
            }
            case NFTABLES -> {
                Sh.run(List.of("ip", "netns", "exec", d1, "nft", "delete", "table", "ip", NFT_TABLE));
                Sh.run(List.of("ip", "-n", d1, "addr", "del", NAT_GATEWAY + "/24", "dev", LabTopology.ETH));
            }
            default -> {
                // uvsd is stopped above
            }
        }
        kernelForwarding(false);
        lab.realServerGateway(GatewayMode.DR);
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            // the next set-up's gateway may have another MAC
            Sh.run(List.of("ip", "-n", topo.realServer(i), "neigh", "flush", "dev", LabTopology.ETH));
        }
    }

    private void kernelForwarding(boolean on) throws IOException {
        Sh.in(topo.director(1), "sysctl", "-q", "-w", "net.ipv4.ip_forward=" + (on ? 1 : 0),
            // replies of the real servers leave by the interface they came in: no ICMP redirects
            "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf." + LabTopology.ETH + ".send_redirects=0");
    }

    /** The nftables load balancer: DNAT of the bench ports to the three real servers in turn. */
    static String nftRuleset() {
        StringBuilder map = new StringBuilder();
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            map.append(i > 1 ? ", " : "").append(i - 1).append(" : ").append(LabTopology.realServer4(i));
        }
        String dnat = " dnat to numgen inc mod " + LabTopology.REAL_SERVERS + " map { " + map + " }";
        return "table ip " + NFT_TABLE + " {\n"
            + "  chain pre {\n"
            + "    type nat hook prerouting priority dstnat; policy accept;\n"
            + "    ip daddr " + LabTopology.VIP4 + " udp dport " + UDP_PORT + dnat + "\n"
            + "    ip daddr " + LabTopology.VIP4 + " tcp dport " + TCP_PORT + dnat + "\n"
            + "  }\n"
            + "}\n";
    }

    /** The UVS rules: UDP and TCP services, round robin, the three real servers by DR ({@code -g}) or NAT. */
    static String uvsRules(boolean nat) {
        StringBuilder sb = new StringBuilder();
        for (String proto : List.of("-u", "-t")) {
            int port = proto.equals("-u") ? UDP_PORT : TCP_PORT;
            String vs = LabTopology.VIP4 + ":" + port;
            sb.append("-A ").append(proto).append(' ').append(vs).append(" -s rr\n");
            for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
                sb.append("-a ").append(proto).append(' ').append(vs).append(" -r ").append(LabTopology.realServer4(i))
                    .append(':').append(port).append(nat ? " -m" : " -g").append(" -w 1\n");
            }
        }
        return sb.toString();
    }

    /** One blaster run of {@code senders} threads: counters before, {@code secs} of sending, a moment to settle, counters after. */
    private UdpRun blast(int secs, int senders, OptionalLong uvsdPid, LabDirector uvsd) throws IOException, InterruptedException {
        try (NamespaceProcess b = NamespaceProcess.start("blaster", topo.router(), BlasterMain.class, BLASTER_JVM, List.of(
                "--interface", "d1", "--dst-mac", Ethernet.macText(directorMac),
                "--src-mac", Ethernet.macText(portMac),
                "--dst", LabTopology.VIP4, "--port", String.valueOf(UDP_PORT), "--source", LabTopology.CLIENT_SOURCES4,
                "--source-count", String.valueOf(LabTopology.CLIENT_SOURCE_COUNT), "--flows", String.valueOf(flows),
                "--length", String.valueOf(FRAME_LENGTH), "--seconds", String.valueOf(secs),
                "--senders", String.valueOf(senders)))) {
            b.awaitLine(BlasterMain.READY, Duration.ofMillis(30_000));
            Snapshot before = snapshot(uvsdPid, uvsd);
            b.send(BlasterMain.GO);
            Map<String, Long> sent = Counters.dataplane(b.awaitLine(BlasterMain.SENT + " ",
                Duration.ofMillis(secs * 1000L + 30_000)));
            Thread.sleep(SETTLE_MILLIS);
            Snapshot after = snapshot(uvsdPid, uvsd);
            return UdpRun.of(before, after, Counters.get(sent, "sent"), Counters.get(sent, "sent.dropped"),
                Counters.get(sent, "sent.nanos"), Counters.get(sent, "sent.cpu-ticks"));
        }
    }

    /** One connection-rate run from the client namespace. */
    private TcpRun connect(int secs) throws IOException, InterruptedException {
        try (NamespaceProcess c = NamespaceProcess.start("connect", topo.client(), ConnectMain.class, BLASTER_JVM,
                List.of("--vip", LabTopology.VIP4, "--port", String.valueOf(TCP_PORT), "--source",
                    LabTopology.CLIENT_SOURCES4, "--source-count", String.valueOf(LabTopology.CLIENT_SOURCE_COUNT),
                    "--threads", String.valueOf(threads), "--seconds", String.valueOf(secs)))) {
            c.awaitLine(BlasterMain.READY, Duration.ofMillis(30_000));
            c.send(BlasterMain.GO);
            Map<String, Long> r = Counters.dataplane(c.awaitLine(ConnectMain.CONNECTIONS + " ",
                Duration.ofMillis(secs * 1000L + 30_000)));
            return new TcpRun(Counters.get(r, "connections"), Counters.get(r, "connections.failed"),
                Counters.get(r, "connections.nanos"));
        }
    }

    private Snapshot snapshot(OptionalLong uvsdPid, LabDirector uvsd) throws IOException {
        long delivered = 0;
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            delivered += Counters.lines(Sh.in(topo.realServer(i), "cat", "/sys/class/net/eth0/statistics/rx_packets"), 1)[0];
        }
        long[] d1 = Counters.lines(Sh.in(topo.director(1), "cat", "/sys/class/net/eth0/statistics/rx_packets",
            "/sys/class/net/eth0/statistics/rx_dropped", "/sys/class/net/eth0/statistics/tx_packets",
            "/sys/class/net/eth0/statistics/tx_dropped"), 4);
        List<String> ports = new ArrayList<>();
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            ports.add("/sys/class/net/rs" + i + "/statistics/tx_dropped");
        }
        List<String> cat = new ArrayList<>(List.of("ip", "netns", "exec", topo.router(), "cat"));
        cat.addAll(ports);
        long bridgeDrops = 0;
        for (long v : Counters.lines(Sh.run(cat), ports.size())) {
            bridgeDrops += v;
        }
        long softnet = Counters.softnetDrops(Files.readString(Path.of("/proc/net/softnet_stat")));
        ProcStat.CpuTicks cpu = ProcStat.systemTicks(Files.readString(Path.of("/proc/stat")));
        Map<String, Long> uvs = uvsd == null ? Map.of() : Counters.dataplane(uvsd.uvsadmOk("-L", "--dataplane"));
        long uvsTicks = -1;
        long engineTicks = -1;
        if (uvsdPid.isPresent()) {
            long pid = uvsdPid.getAsLong();
            uvsTicks = ProcStat.processTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            engineTicks = engineThreadTicks(pid);
        }
        return new Snapshot(delivered, d1[0], d1[1], d1[2], d1[3], bridgeDrops, softnet, cpu, uvs, uvsTicks,
            engineTicks);
    }

    /** The JVM of uvsd in d1's namespace (the only process there that runs UvsdMain). */
    private OptionalLong uvsdPid() throws IOException {
        for (String line : Sh.run(List.of("ip", "netns", "pids", topo.director(1))).lines().toList()) {
            String p = line.strip();
            if (p.matches("\\d+")) {
                try {
                    String cmd = Files.readString(Path.of("/proc", p, "cmdline"));
                    if (cmd.contains("uvs.daemon.UvsdMain")) {
                        return OptionalLong.of(Long.parseLong(p));
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        note("uvsd's process was not found in " + topo.director(1) + ": no CPU time per packet");
        return OptionalLong.empty();
    }

    /** CPU ticks of uvsd's engine threads ("uvs-engine", or "uvs-engine-N" with several workers), summed. */
    private static long engineThreadTicks(long pid) throws IOException {
        long sum = -1;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (Files.readString(t.resolve("comm")).strip().startsWith("uvs-engine")) {
                        sum = Math.max(sum, 0) + ProcStat.processTicks(Files.readString(t.resolve("stat")));
                    }
                } catch (IOException e) {
                    // thread ended meanwhile
                }
            }
        }
        return sum;
    }

    private void note(String text) {
        notes.add(text);
        say("note: " + text);
    }

    private void say(String line) {
        log.println("uvs bench: " + line);
        log.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Counters at one moment. */
    record Snapshot(long delivered, long d1Rx, long d1RxDropped, long d1Tx, long d1TxDropped, long bridgeDrops,
            long softnetDrops, ProcStat.CpuTicks cpu, Map<String, Long> uvs, long uvsTicks, long engineTicks) {}

    /** The runs of one set-up: UDP with one sending thread, with two, and TCP. */
    record Result(Setup setup, List<UdpRun> udp, List<UdpRun> udpTwoSenders, List<TcpRun> tcp) {}

    /** One connection-rate run: connections that got the server's byte, failures, duration. */
    record TcpRun(long ok, long failed, long nanos) {
        double cps() {
            return ok * 1e9 / nanos;
        }
    }

    /**
     * One blaster run, as deltas: what the blaster sent and the device refused, what reached the real servers,
     * where the rest was dropped, and the CPU time spent.
     */
    record UdpRun(long sent, long senderDropped, long nanos, long delivered, long d1Rx, long d1RxDropped,
            long d1Tx, long d1TxDropped, long bridgeDrops, long softnetDrops, ProcStat.CpuTicks cpu,
            long blasterTicks, Map<String, Long> uvs, long uvsTicks, long engineTicks) {
        static UdpRun of(Snapshot a, Snapshot b, long sent, long senderDropped, long nanos, long blasterTicks) {
            Map<String, Long> uvs = new LinkedHashMap<>();
            for (String k : List.of("rx.frames", "rx.ring-drops", "tx.frames", "tx.dropped", "packets.forwarded",
                "packets.engine-drops", "neighbours.misses", "fast.packets")) {
                if (b.uvs().containsKey(k) && a.uvs().containsKey(k)) {
                    uvs.put(k, b.uvs().get(k) - a.uvs().get(k));
                }
            }
            return new UdpRun(sent, senderDropped, nanos, b.delivered() - a.delivered(), b.d1Rx() - a.d1Rx(),
                b.d1RxDropped() - a.d1RxDropped(), b.d1Tx() - a.d1Tx(), b.d1TxDropped() - a.d1TxDropped(),
                b.bridgeDrops() - a.bridgeDrops(), b.softnetDrops() - a.softnetDrops(), b.cpu().minus(a.cpu()),
                blasterTicks, uvs, a.uvsTicks() < 0 ? -1 : b.uvsTicks() - a.uvsTicks(),
                a.engineTicks() < 0 ? -1 : b.engineTicks() - a.engineTicks());
        }

        double deliveredPps() {
            return delivered * 1e9 / nanos;
        }

        double sentPps() {
            return sent * 1e9 / nanos;
        }
    }
}
