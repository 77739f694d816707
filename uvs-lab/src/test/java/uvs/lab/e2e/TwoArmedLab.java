package uvs.lab.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import uvs.lab.net.JavaCommand;

/**
 * A two-armed director lab, separate from the standard lab: clients on the director's eth0 (10.110.0.0/24,
 * fd00:110::/64), real servers on its eth1 (10.110.1.0/24, fd00:110:1::/64). The client routes the VIP to the
 * director's client-side address. A router joins both subnets (bridges brc and brs) so that DR replies can
 * go from the real server to the client without the director. The director's kernel is set up as
 * docs/dataplane.md tells an operator: no forwarding, no reverse-path filter. Namespaces are
 * {@code uvs2a<pid>-c|d|r|s}; {@link #close()} removes them.
 */
final class TwoArmedLab implements AutoCloseable {
    static final String VIP4 = "10.110.0.100";
    static final String VIP6 = "fd00:110::100";
    static final String DIRECTOR_CLIENT4 = "10.110.0.1";
    static final String DIRECTOR_CLIENT6 = "fd00:110::1";
    static final String DIRECTOR_SERVER4 = "10.110.1.1";
    static final String DIRECTOR_SERVER6 = "fd00:110:1::1";
    static final String ROUTER_SERVER4 = "10.110.1.254";
    static final String ROUTER_SERVER6 = "fd00:110:1::254";
    /** The real server's first address; more follow as {@link #realServer4(int)}. */
    static final String REAL_SERVER4 = "10.110.1.11";
    static final String REAL_SERVER6 = "fd00:110:1::11";
    /** Port of the echo service. */
    static final int ECHO_PORT = 7000;
    /** Extra real server addresses (fresh ones whose MAC no one has asked for yet). */
    static final int EXTRA_ADDRESSES = 6;

    private final String prefix;
    private final List<String> namespaces;
    private Process echo;

    private TwoArmedLab(String prefix) {
        this.prefix = prefix;
        this.namespaces = List.of(client(), director(), router(), realServer());
    }

    /** Builds the lab; skips the test class when namespaces cannot be made here. */
    static TwoArmedLab open() throws IOException {
        String prefix = "uvs2a" + ProcessHandle.current().pid();
        E2eLab.Result probe = E2eLab.run(List.of("ip", "netns", "add", prefix + "-probe"));
        E2eLab.run(List.of("ip", "netns", "del", prefix + "-probe"));
        assumeTrue(probe.ok(), "two-armed lab tests need root and network namespaces: " + probe.err().strip());
        assumeTrue(E2eLab.run(List.of("nstat", "-V")).ok(), "two-armed lab tests need nstat (iproute2)");
        TwoArmedLab lab = new TwoArmedLab(prefix);
        try {
            lab.build();
        } catch (IOException | RuntimeException e) {
            try {
                lab.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return lab;
    }

    String client() {
        return prefix + "-c";
    }

    String director() {
        return prefix + "-d";
    }

    String router() {
        return prefix + "-r";
    }

    String realServer() {
        return prefix + "-s";
    }

    /** Extra real server IPv4 address {@code i} (1..{@link #EXTRA_ADDRESSES}). */
    static String realServer4(int i) {
        return "10.110.1." + (20 + i);
    }

    /** Extra real server IPv6 address {@code i}. */
    static String realServer6(int i) {
        return "fd00:110:1::" + (20 + i);
    }

    private void build() throws IOException {
        for (String ns : namespaces) {
            ok("ip", "netns", "add", ns);
            sysctl(ns, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        }
        sysctl(router(), "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
        // the director's kernel: forwards nothing (UVS does), filters no reverse path (replies come in on eth1)
        sysctl(director(), "net.ipv4.ip_forward=0", "net.ipv6.conf.all.forwarding=0", "net.ipv4.conf.all.rp_filter=0",
            "net.ipv4.conf.default.rp_filter=0");
        // the VIP sits on the real server's lo for DR: never answer or announce it on the LAN
        sysctl(realServer(), "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2",
            "net.ipv4.conf.default.arp_ignore=1", "net.ipv4.conf.default.arp_announce=2");
        batch(client(), "link add eth0 type veth peer name c netns " + router());
        // two queues each way: AF_XDP data planes with two workers need a receive queue per worker
        batch(director(), "link add eth0 numtxqueues 2 numrxqueues 2 type veth peer name d0 numtxqueues 2 "
                + "numrxqueues 2 netns " + router(),
            "link add eth1 numtxqueues 2 numrxqueues 2 type veth peer name d1 numtxqueues 2 numrxqueues 2 netns "
                + router());
        batch(realServer(), "link add eth0 type veth peer name s netns " + router());
        batch(router(), "link add brc type bridge mcast_snooping 0", "link add brs type bridge mcast_snooping 0",
            "link set c master brc", "link set d0 master brc", "link set d1 master brs", "link set s master brs",
            "link set c up", "link set d0 up", "link set d1 up", "link set s up", "link set brc up", "link set brs up",
            "link set lo up", "addr add 10.110.0.254/24 dev brc", "addr add fd00:110::254/64 dev brc nodad",
            "addr add " + ROUTER_SERVER4 + "/24 dev brs", "addr add " + ROUTER_SERVER6 + "/64 dev brs nodad");
        batch(client(), "link set lo up", "link set eth0 up", "addr add 10.110.0.2/24 dev eth0",
            "addr add fd00:110::2/64 dev eth0 nodad",
            // the VIP is routed to the director's client-side address
            "route add " + VIP4 + "/32 via " + DIRECTOR_CLIENT4 + " dev eth0",
            "route add " + VIP6 + "/128 via " + DIRECTOR_CLIENT6 + " dev eth0");
        batch(director(), "link set lo up", "link set eth0 up", "link set eth1 up",
            "addr add " + DIRECTOR_CLIENT4 + "/24 dev eth0", "addr add " + DIRECTOR_CLIENT6 + "/64 dev eth0 nodad",
            "addr add " + DIRECTOR_SERVER4 + "/24 dev eth1", "addr add " + DIRECTOR_SERVER6 + "/64 dev eth1 nodad");
        sysctl(director(), "net.ipv4.conf.eth0.rp_filter=0", "net.ipv4.conf.eth1.rp_filter=0");
        List<String> rs = new ArrayList<>(List.of("link set lo up", "link set eth0 up", "addr add " + VIP4 + "/32 dev lo",
            "addr add " + VIP6 + "/128 dev lo", "addr add " + REAL_SERVER4 + "/24 dev eth0",
            "addr add " + REAL_SERVER6 + "/64 dev eth0 nodad"));
        for (int i = 1; i <= EXTRA_ADDRESSES; i++) {
            rs.add("addr add " + realServer4(i) + "/24 dev eth0");
            rs.add("addr add " + realServer6(i) + "/64 dev eth0 nodad");
        }
        batch(realServer(), rs.toArray(String[]::new));
        sysctl(realServer(), "net.ipv4.conf.eth0.arp_ignore=1", "net.ipv4.conf.eth0.arp_announce=2");
        gateway(true);
        offloadsOff(client(), "eth0");
        offloadsOff(director(), "eth0", "eth1");
        offloadsOff(realServer(), "eth0");
        offloadsOff(router(), "c", "d0", "d1", "s", "brc", "brs");
        startEcho();
    }

    /** The real server's default routes: via the director (NAT) or via the router (DR replies go round it). */
    void gateway(boolean nat) throws IOException {
        batch(realServer(), "route replace default via " + (nat ? DIRECTOR_SERVER4 : ROUTER_SERVER4) + " dev eth0",
            "route replace default via " + (nat ? DIRECTOR_SERVER6 : ROUTER_SERVER6) + " dev eth0");
    }

    private void startEcho() throws IOException {
        List<String> argv = JavaCommand.inNamespace(realServer(), EchoMain.class,
            List.of("server", String.valueOf(ECHO_PORT)));
        echo = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true).start();
        // ready when the port listens
        for (int i = 0; i < 150; i++) {
            if (E2eLab.run(List.of("ip", "netns", "exec", realServer(), "ss", "-ltnH", "sport", "= :" + ECHO_PORT))
                .out().contains(":" + ECHO_PORT)) {
                return;
            }
            sleep(100);
        }
        throw new IOException("the echo server did not listen on " + ECHO_PORT + " within 15 s");
    }

    /** Sends {@code bytes} seeded bytes to {@code host}:echo from the client and returns the client's answer line. */
    E2eLab.Result echoFromClient(String host, int bytes, long seed) {
        return E2eLab.run(JavaCommand.inNamespace(client(), EchoMain.class,
            List.of("client", host, String.valueOf(ECHO_PORT), String.valueOf(bytes), String.valueOf(seed))));
    }

    /**
     * One quick exchange from the client with bash's /dev/tcp (a process that starts in milliseconds, so its
     * SYN follows a configuration change at once): sends a line, returns what came back.
     */
    E2eLab.Result quickEcho(String host) {
        return E2eLab.run(List.of("ip", "netns", "exec", client(), "timeout", "10", "bash", "-c",
            "exec 3<>/dev/tcp/" + host + "/" + ECHO_PORT + " && echo hello >&3 && head -n1 <&3"));
    }

    /**
     * The TCP retransmission counters of namespace {@code ns} so far (nstat, absolute values), to be compared
     * by {@link #segmentsLost} and {@link #synsLost}.
     */
    long[] retransmissions(String ns) {
        String out = E2eLab.run(List.of("ip", "netns", "exec", ns, "nstat", "-asz", "TcpRetransSegs",
            "TcpExtTCPDSACKRecvSegs", "TcpExtTCPSynRetrans", "TcpExtTCPLossProbes", "TcpExtTCPLossProbeRecovery"))
            .out();
        long retrans = 0;
        long duplicates = 0;
        long syn = 0;
        long probes = 0;
        long recoveries = 0;
        for (String line : out.split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w.length < 2) {
                continue;
            }
            switch (w[0]) {
                case "TcpRetransSegs" -> retrans = Long.parseLong(w[1]);
                case "TcpExtTCPDSACKRecvSegs" -> duplicates = Long.parseLong(w[1]);
                case "TcpExtTCPSynRetrans" -> syn = Long.parseLong(w[1]);
                case "TcpExtTCPLossProbes" -> probes = Long.parseLong(w[1]);
                case "TcpExtTCPLossProbeRecovery" -> recoveries = Long.parseLong(w[1]);
                default -> { }
            }
        }
        return new long[] {retrans, duplicates, syn, probes, recoveries};
    }

    /**
     * Segments sent again between two {@link #retransmissions} readings that were not proven to have arrived
     * the first time: retransmitted segments less those the receiver reported as duplicates with D-SACK, or
     * less the tail loss probes that a late ACK fired on this loaded machine and that repaired no loss. Taken
     * over the differences, never below 0: a probe may carry new data and then retransmits nothing.
     */
    static long segmentsLost(long[] before, long[] after) {
        long retrans = after[0] - before[0];
        long duplicates = after[1] - before[1];
        long harmlessProbes = (after[3] - before[3]) - (after[4] - before[4]);
        return Math.max(0, retrans - Math.max(duplicates, harmlessProbes));
    }

    /** SYNs sent again between two {@link #retransmissions} readings. */
    static long synsLost(long[] before, long[] after) {
        return after[2] - before[2];
    }

    /**
     * Waits (10 s at most) until the client and the real server hold no TCP connection but listeners and
     * TIME-WAIT: closing handshakes must finish while the director still runs, or their retransmissions count
     * against the next measurement.
     */
    void awaitQuiet() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            int open = 0;
            for (String ns : List.of(client(), realServer())) {
                for (String line : E2eLab.run(List.of("ip", "netns", "exec", ns, "ss", "-tanH")).out().split("\n")) {
                    String state = line.strip().split("\\s+")[0];
                    open += state.isEmpty() || state.equals("LISTEN") || state.equals("TIME-WAIT") ? 0 : 1;
                }
            }
            if (open == 0) {
                return;
            }
            Thread.sleep(100);
        }
    }

    /** A namespace's TCP sockets with their retransmission details and its TCP counters, for failure messages. */
    String tcpState(String ns) {
        return E2eLab.run(List.of("ip", "netns", "exec", ns, "ss", "-tinH")).out()
            + E2eLab.run(List.of("ip", "netns", "exec", ns, "nstat", "-as")).out().lines()
                .filter(l -> l.startsWith("Tcp")).reduce("", (x, y) -> x + y.replaceAll("\\s+", "=") + " ");
    }

    /** Work directory for a director's files. */
    Path work() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), prefix));
    }

    private static void offloadsOff(String ns, String... devs) {
        boolean ethtool = E2eLab.run(List.of("ethtool", "--version")).ok();
        for (String dev : devs) {
            if (ethtool) {
                E2eLab.run(List.of("ip", "netns", "exec", ns, "ethtool", "-K", dev, "tso", "off", "gso", "off", "gro",
                    "off", "tx", "off", "rx", "off"));
            } else {
                E2eLab.run(List.of("ip", "-n", ns, "link", "set", "dev", dev, "gso_max_segs", "1"));
            }
        }
    }

    private static void sysctl(String ns, String... settings) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns, "sysctl", "-q", "-w"));
        argv.addAll(List.of(settings));
        ok(argv.toArray(String[]::new));
    }

    private static void batch(String ns, String... lines) throws IOException {
        for (String line : lines) {
            List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
            argv.addAll(List.of(line.split(" ")));
            ok(argv.toArray(String[]::new));
        }
    }

    private static void ok(String... argv) throws IOException {
        E2eLab.Result r = E2eLab.run(List.of(argv));
        if (!r.ok()) {
            throw new IOException(String.join(" ", argv) + ": " + r.err().strip());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the echo server and removes every namespace of the lab. */
    @Override
    public void close() {
        if (echo != null) {
            echo.destroyForcibly();
        }
        for (String ns : namespaces) {
            E2eLab.run(List.of("ip", "netns", "del", ns));
        }
    }
}
