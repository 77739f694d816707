package uvs.lab.net;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The network-namespace lab: builds, inspects, switches and removes the client, router, directors and real
 * servers of one {@link LabTopology}. Touches nothing outside the namespaces it creates and its state directory.
 */
public final class Lab {
    private static final Path NETNS_DIR = Path.of("/run/netns");
    private static final String COMPLETE_MARK = "complete";
    private static final String HA_MARK = "ha";
    private static final long SERVER_START_MILLIS = 30_000;
    private static final long KILL_GRACE_MILLIS = 2_000;

    private final LabTopology topo;
    private final XdpPassPrograms xdpPass = new XdpPassPrograms();
    private final Set<Integer> xdpPassed = new java.util.HashSet<>();

    /** The lab of {@code topo}; nothing is created until {@link #up}. */
    public Lab(LabTopology topo) {
        this.topo = topo;
    }

    /** The names and addresses of this lab. */
    public LabTopology topology() {
        return topo;
    }

    /** As {@link #up(HaMode, RouteMode, GatewayMode)} with routes the lab sets itself ({@link HaMode#STATIC}). */
    public boolean up(RouteMode route, GatewayMode gateway) {
        return up(HaMode.STATIC, route, gateway);
    }

    /**
     * Brings the lab up with the given HA mode, VIP route (static mode only) and real-server gateway modes. A
     * healthy lab of the same HA mode is kept (only the modes are applied); any other is removed first. If
     * building fails, everything built is removed again.
     *
     * @return true if the lab was built, false if an existing healthy lab was kept
     */
    public boolean up(HaMode ha, RouteMode route, GatewayMode gateway) {
        if (healthy() && haMode().orElse(null) == ha) {
            if (ha == HaMode.STATIC) {
                routeMode(route);
            }
            realServerGateway(gateway);
            return false;
        }
        down();
        try {
            build(ha, route, gateway);
        } catch (RuntimeException e) {
            try {
                down();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return true;
    }

    /** Removes the lab: kills its processes, deletes its namespaces and state; safe on a partial or absent lab. */
    public void down() {
        xdpPass.close();
        xdpPassed.clear();
        List<String> problems = new ArrayList<>();
        Set<String> present = existingNamespaces();
        for (String ns : present) {
            Shell.Result pids = Shell.tryRun(List.of("ip", "netns", "pids", ns), null);
            pids.out().lines().map(String::strip).filter(s -> s.matches("\\d+"))
                .forEach(p -> kill(Long.parseLong(p)));
        }
        // a server whose namespace name is already gone still holds the namespace: find it by its PID file
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            serverPid(i).ifPresent(this::kill);
        }
        for (String ns : present) {
            Shell.Result r = Shell.tryRun(List.of("ip", "netns", "del", ns), null);
            if (!r.ok()) {
                problems.add("ip netns del " + ns + ": " + r.err().strip());
            }
        }
        try {
            deleteTree(topo.stateDir());
        } catch (IOException e) {
            problems.add("cannot remove " + topo.stateDir() + ": " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new LabException("lab " + topo.prefix() + " down: " + String.join("; ", problems));
        }
    }

    /** The lab namespaces that exist now (a subset of {@link LabTopology#namespaces()}). */
    public Set<String> existingNamespaces() {
        Set<String> all;
        try (Stream<Path> s = Files.list(NETNS_DIR)) {
            all = s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IOException e) {
            throw new LabException("cannot list " + NETNS_DIR + ": " + e.getMessage(), e);
        }
        return topo.namespaces().stream().filter(all::contains)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** True if every namespace exists, the build finished and all real-server processes run. */
    public boolean healthy() {
        if (existingNamespaces().size() != topo.namespaces().size()
            || !Files.exists(topo.stateDir().resolve(COMPLETE_MARK))) {
            return false;
        }
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            if (serverPid(i).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The lab's HA mode, empty when it is not up. */
    public Optional<HaMode> haMode() {
        try {
            return Optional.of(HaMode.parse(Files.readString(topo.stateDir().resolve(HA_MARK))));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The keepalived and BIRD daemons of the lab (running in VRRP and BGP mode). */
    public ClusterDaemons daemons() {
        return new ClusterDaemons(topo);
    }

    /** Points the router's VIP routes at both directors (ECMP), d1 only or d2 only. */
    public void routeMode(RouteMode mode) {
        Shell.ipBatch(topo.router(), LabSetup.vipRoutes(mode));
    }

    /**
     * Turns segmentation, receive and checksum offloads off with ethtool; without ethtool, TCP is at least
     * kept from building super-frames (gso_max_segs 1).
     */
    private static void offloadsOff(String ns, List<String> interfaces) {
        boolean ethtool = Shell.installed("ethtool");
        for (String dev : interfaces) {
            if (ethtool) {
                Shell.run(List.of("ip", "netns", "exec", ns, "ethtool", "-K", dev, "tso", "off", "gso", "off", "gro", "off",
                    "tx", "off", "rx", "off"));
            } else {
                Shell.run(List.of("ip", "-n", ns, "link", "set", "dev", dev, "gso_max_segs", "1"));
            }
        }
    }

    /**
     * Gives both ends of director {@code i}'s veth {@code queues} receive and transmit queues (ethtool -L), as a
     * multi-queue NIC has: a veth with an XDP program receives in one NAPI context per receive queue, so with
     * a single queue all senders' frames wait for one CPU. Returns false (and changes nothing) without ethtool.
     */
    public boolean directorQueues(int i, int queues) {
        if (!Shell.installed("ethtool")) {
            return false;
        }
        String q = String.valueOf(queues);
        Shell.run(List.of("ip", "netns", "exec", topo.director(i), "ethtool", "-L", LabTopology.ETH, "rx", q, "tx", q));
        Shell.run(List.of("ip", "netns", "exec", topo.router(), "ethtool", "-L", "d" + i, "rx", q, "tx", q));
        return true;
    }

    /**
     * Lets the router's end of director {@code i}'s veth take the frames the director's XDP fast path sends back
     * (XDP_TX): attaches a pass-everything XDP program there, once, for as long as this lab object lives.
     */
    public void acceptXdpFrames(int i) {
        if (xdpPassed.add(i)) {
            try {
                xdpPass.attach(topo.router(), "d" + i);
            } catch (Exception e) {
                xdpPassed.remove(i);
                throw new LabException("XDP pass program on the router's d" + i + ": " + e.getMessage());
            }
        }
    }

    /** True when director {@code i}'s eth0 holds the IPv4 VIP (keepalived put it there as VRRP MASTER). */
    public boolean holdsVip(int i) {
        return Shell.run(List.of("ip", "-n", topo.director(i), "-4", "addr", "show", "dev", LabTopology.ETH))
            .contains(" " + LabTopology.VIP4 + "/32 ");
    }

    /** The directors (1, 2) the router's IPv4 VIP route points at now, as its kernel has it. */
    public List<Integer> vipNextHops() {
        return vipNextHops(false);
    }

    /** The directors (1, 2) the router's IPv4 or IPv6 VIP route points at now, as its kernel has it. */
    public List<Integer> vipNextHops(boolean v6) {
        String route = Shell.run(List.of("ip", "-n", topo.router(), v6 ? "-6" : "-4", "route", "show",
            v6 ? LabTopology.VIP6 + "/128" : LabTopology.VIP4 + "/32"));
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= LabTopology.DIRECTORS; i++) {
            if (route.contains("via " + (v6 ? LabTopology.director6(i) : LabTopology.director4(i)) + " ")) {
                out.add(i);
            }
        }
        return out;
    }

    /** The router's current VIP route mode, read back from its IPv4 VIP route; empty if there is none. */
    public Optional<RouteMode> routeMode() {
        String route = Shell.run(List.of("ip", "-n", topo.router(), "route", "show", LabTopology.VIP4 + "/32"));
        boolean d1 = route.contains(LabTopology.director4(1) + " ");
        boolean d2 = route.contains(LabTopology.director4(2) + " ");
        if (d1 && d2) {
            return Optional.of(RouteMode.ECMP);
        }
        return d1 ? Optional.of(RouteMode.D1) : d2 ? Optional.of(RouteMode.D2) : Optional.empty();
    }

    /** Sets every real server's default routes (IPv4 and IPv6) to the router (DR) or the NAT gateway. */
    public void realServerGateway(GatewayMode mode) {
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            Shell.ipBatch(topo.realServer(i), LabSetup.gatewayRoutes(mode));
        }
    }

    /** The real servers' gateway mode, read back from rs1's IPv4 default route; empty if unknown. */
    public Optional<GatewayMode> realServerGateway() {
        String route = Shell.run(List.of("ip", "-n", topo.realServer(1), "route", "show", "default"));
        if (route.contains("via " + LabTopology.ROUTER_LAN4 + " ")) {
            return Optional.of(GatewayMode.DR);
        }
        return route.contains("via " + LabTopology.NAT_GATEWAY4 + " ") ? Optional.of(GatewayMode.NAT)
            : Optional.empty();
    }

    /** A small table of namespaces, addresses, modes and server processes. */
    public String status() {
        Set<String> present = existingNamespaces();
        StringBuilder b = new StringBuilder();
        if (present.isEmpty()) {
            return "lab " + topo.prefix() + ": down (no namespaces)\n";
        }
        boolean complete = healthy();
        b.append("lab ").append(topo.prefix()).append(": ").append(complete ? "up" : "incomplete (run lab up or down)");
        haMode().filter(h -> h != HaMode.STATIC).ifPresent(h -> b.append(", ha ").append(h.cliName()));
        if (present.contains(topo.router()) && haMode().orElse(HaMode.STATIC) == HaMode.STATIC) {
            b.append(", route ").append(routeMode().map(RouteMode::cliName).orElse("none"));
        }
        if (present.contains(topo.realServer(1))) {
            b.append(", real-server gateway ").append(realServerGateway().map(GatewayMode::cliName).orElse("none"));
        }
        b.append('\n');
        b.append(String.format("%-14s %-7s %s%n", "NAMESPACE", "IF", "ADDRESSES"));
        for (String ns : topo.namespaces()) {
            if (!present.contains(ns)) {
                b.append(String.format("%-14s %-7s %s%n", ns, "-", "(missing)"));
                continue;
            }
            for (String[] row : LabStatus.addressRows(Shell.run(List.of("ip", "-n", ns, "-br", "addr")))) {
                b.append(String.format("%-14s %-7s %s%n", ns, row[0], row[1]));
            }
        }
        b.append(String.format("%-7s %-14s %-8s %s%n", "SERVER", "NAMESPACE", "PID", "STATE"));
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            OptionalLong pid = serverPid(i);
            b.append(String.format("%-7s %-14s %-8s %s%n", LabTopology.realServerName(i), topo.realServer(i),
                pid.isPresent() ? String.valueOf(pid.getAsLong()) : "-", pid.isPresent() ? "running" : "not running"));
        }
        return b.toString();
    }

    /** The PID of real server {@code i} if its process runs (checked against its command line). */
    public OptionalLong serverPid(int i) {
        Path file = pidFile(i);
        long pid;
        try {
            pid = Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return isOurServer(pid, LabTopology.realServerName(i)) ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    private void build(HaMode ha, RouteMode route, GatewayMode gateway) {
        try {
            Files.createDirectories(topo.stateDir());
        } catch (IOException e) {
            throw new LabException("cannot create " + topo.stateDir() + ": " + e.getMessage(), e);
        }
        List<String> adds = topo.namespaces().stream().map(ns -> "netns add " + ns).toList();
        Shell.run(List.of("ip", "-batch", "-"), String.join("\n", adds) + "\n");
        LabSetup setup = new LabSetup(topo);
        setup.sysctls().forEach(Shell::sysctl);
        setup.links().forEach(Shell::ipBatch);
        setup.configuration(ha == HaMode.STATIC ? route : null, gateway).forEach(Shell::ipBatch);
        setup.interfaceSysctls().forEach(Shell::sysctl);
        setup.offloadInterfaces().forEach(Lab::offloadsOff);
        // the router's bridge is a switch: with br_netfilter in the kernel it would pass every bridged frame
        // through the IP hooks, a cost a real switch does not add to the path the benches measure
        Shell.run(List.of("ip", "netns", "exec", topo.router(), "sh", "-c",
            "for f in /proc/sys/net/bridge/bridge-nf-call-*; do [ ! -e \"$f\" ] || echo 0 > \"$f\"; done"));
        startServers();
        try {
            switch (ha) {
                case VRRP -> {
                    Shell.ipBatch(topo.router(), LabSetup.onLinkVipRoutes());
                    daemons().startVrrp(1);
                }
                case BGP -> daemons().startBird();
                case STATIC -> { }
            }
        } catch (IOException e) {
            throw new LabException("cannot start the " + ha.cliName() + " daemons: " + e.getMessage(), e);
        }
        try {
            Files.writeString(topo.stateDir().resolve(HA_MARK), ha.cliName());
            Files.writeString(topo.stateDir().resolve(COMPLETE_MARK), "");
        } catch (IOException e) {
            throw new LabException("cannot write " + topo.stateDir().resolve(COMPLETE_MARK) + ": " + e.getMessage(), e);
        }
    }

    private void startServers() {
        List<Process> started = new ArrayList<>();
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            String name = LabTopology.realServerName(i);
            List<String> argv = JavaCommand.inNamespace(topo.realServer(i), RealServerMain.class,
                List.of("--name", name, "--lab", topo.prefix(), "--ready-file", pidFile(i).toString()));
            Path log = topo.stateDir().resolve(name + ".log");
            try {
                started.add(new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start());
            } catch (IOException e) {
                throw new LabException("cannot start real server " + name + ": " + e.getMessage(), e);
            }
        }
        long deadline = System.currentTimeMillis() + SERVER_START_MILLIS;
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            String name = LabTopology.realServerName(i);
            while (!Files.exists(pidFile(i))) {
                Process p = started.get(i - 1);
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new LabException("real server " + name + " did not start"
                        + (p.isAlive() ? " within " + SERVER_START_MILLIS / 1000 + " s" : " (exit " + p.exitValue() + ")")
                        + ": " + tail(topo.stateDir().resolve(name + ".log")));
                }
                sleep(50);
            }
        }
    }

    private Path pidFile(int i) {
        return topo.stateDir().resolve(LabTopology.realServerName(i) + ".pid");
    }

    private boolean isOurServer(long pid, String name) {
        String cmdline;
        try {
            cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
                .replace('\0', ' ');
        } catch (IOException e) {
            return false;
        }
        return cmdline.contains(RealServerMain.class.getName()) && cmdline.contains(" --name " + name + " ")
            && cmdline.contains(" --lab " + topo.prefix() + " ");
    }

    private void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            long deadline = System.currentTimeMillis() + KILL_GRACE_MILLIS;
            while (!gone(pid) && System.currentTimeMillis() < deadline) {
                sleep(20);
            }
            if (!gone(pid)) {
                h.destroyForcibly();
            }
        });
    }

    // a zombie is gone for the lab: whoever adopted it (init here) may reap it only seconds later
    static boolean gone(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return true;
        }
        int end = stat.lastIndexOf(") ");
        char state = end < 0 || end + 2 >= stat.length() ? 'X' : stat.charAt(end + 2);
        return state == 'Z' || state == 'X';
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
