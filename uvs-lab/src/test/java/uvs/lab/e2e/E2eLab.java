package uvs.lab.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import uvs.lab.demo.DirectorPair;
import uvs.lab.demo.LabDirector;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.HaMode;
import uvs.lab.net.Lab;
import uvs.lab.net.LabTopology;
import uvs.lab.net.RouteMode;
import uvs.lab.net.StreamSummary;
import uvs.lab.net.TrafficMain;
import uvs.lab.net.TrafficProcess;

/**
 * One namespace lab for an end-to-end test class: built in {@code @BeforeAll} (skipped with a message when
 * namespaces cannot be created), two uvsd directors that tests (re)start, and removal of it all in
 * {@code @AfterAll}. Also runs commands in the lab's namespaces and gathers the directors' state for failure
 * messages.
 */
final class E2eLab implements AutoCloseable {
    private static final long COMMAND_SECONDS = 20;
    private static final Duration CONNECT = Duration.ofSeconds(15);

    private final Lab lab;
    private final HaMode ha;
    private final Path work;
    private final List<TrafficProcess> traffic = new ArrayList<>();
    private DirectorPair directors;

    private E2eLab(Lab lab, HaMode ha, Path work) {
        this.lab = lab;
        this.ha = ha;
        this.work = work;
    }

    /**
     * Builds the lab {@code uvse<tag><pid>} with the given modes; skips the calling test class (JUnit
     * assumption) when {@code ip netns add} does not work here (not root, no namespaces).
     */
    static E2eLab open(String tag, RouteMode route, GatewayMode gateway) throws IOException {
        return open(tag, HaMode.STATIC, route, gateway);
    }

    /**
     * As {@link #open(String, RouteMode, GatewayMode)} in HA mode {@code ha}: with vrrp or bgp, the lab runs
     * keepalived or BIRD (skipped with a message when they are not installed: bin/uvs-setup installs them).
     */
    static E2eLab open(String tag, HaMode ha, RouteMode route, GatewayMode gateway) throws IOException {
        String prefix = "uvse" + tag + ProcessHandle.current().pid();
        String probe = prefix + "-probe";
        Result r = run(List.of("ip", "netns", "add", probe));
        run(List.of("ip", "netns", "del", probe));
        assumeTrue(r.ok(), "end-to-end lab tests need root and network namespaces: 'ip netns add' failed: "
            + r.err().strip());
        assumeTrue(run(List.of("curl", "--version")).ok(), "end-to-end lab tests need curl (bin/uvs-setup)");
        if (ha == HaMode.VRRP) {
            assumeTrue(run(List.of("keepalived", "--version")).ok(), "VRRP lab tests need keepalived (bin/uvs-setup)");
            assumeTrue(run(List.of("nft", "--version")).ok(), "VRRP lab tests need nftables (bin/uvs-setup)");
        } else if (ha == HaMode.BGP) {
            assumeTrue(run(List.of("bird", "--version")).ok(), "BGP lab tests need BIRD 2 (bin/uvs-setup)");
        }
        E2eLab e = new E2eLab(new Lab(new LabTopology(prefix)), ha, Files.createTempDirectory("uvs-e2e-" + tag));
        try {
            e.lab.up(ha, route, gateway);
        } catch (RuntimeException failure) {
            try {
                e.close();
            } catch (IOException | RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        return e;
    }

    /** The lab. */
    Lab lab() {
        return lab;
    }

    /** The lab's names. */
    LabTopology topo() {
        return lab.topology();
    }

    /**
     * (Re)starts both directors with these rules and tunables; {@code d1Announce} are answered by d1 for ARP/ND;
     * {@code sync} starts master+backup sync daemons on both. Waits until their data planes had time to
     * resolve the router's and real servers' MACs.
     */
    DirectorPair startDirectors(String rules, String sysctl, List<String> d1Announce, boolean sync)
        throws IOException, InterruptedException {
        return startDirectors(rules, sysctl, d1Announce, sync, d -> { });
    }

    /** As {@link #startDirectors(String, String, List, boolean)}, with {@code setup} applied to the pair first. */
    DirectorPair startDirectors(String rules, String sysctl, List<String> d1Announce, boolean sync,
                                Consumer<DirectorPair> setup) throws IOException, InterruptedException {
        return startDirectors(rules, sysctl, d1Announce, sync, 1, setup);
    }

    /** As {@link #startDirectors(String, String, List, boolean, Consumer)} with {@code workers} per director. */
    DirectorPair startDirectors(String rules, String sysctl, List<String> d1Announce, boolean sync, int workers,
                                Consumer<DirectorPair> setup) throws IOException, InterruptedException {
        stopDirectors();
        directors = new DirectorPair(lab, work, ha);
        setup.accept(directors);
        directors.start(rules, sysctl, d1Announce, sync, workers);
        Thread.sleep(1500); // as DemoRun: neighbour resolution of the first packets
        return directors;
    }

    /** The running directors (null before {@link #startDirectors}). */
    DirectorPair directors() {
        return directors;
    }

    /** Stops both directors and any traffic still running. */
    void stopDirectors() throws InterruptedException {
        for (TrafficProcess p : traffic) {
            p.close();
        }
        if (!traffic.isEmpty() && directors != null) {
            awaitClosed();
        }
        traffic.clear();
        if (directors != null) {
            directors.close();
            directors = null;
        }
    }

    /**
     * Waits (20 s at most) until the client and the real servers hold no TCP connection but listeners and
     * TIME-WAIT: the closing handshakes of stopped traffic must pass the directors still running, or their
     * retransmissions (a real server in LAST-ACK resends its FIN for seconds, and the client's TIME-WAIT answers
     * through the VIP) reach the next test's directors, where sloppy_tcp turns them into entries and templates.
     */
    private void awaitClosed() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> namespaces = new ArrayList<>(List.of(topo().client()));
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            namespaces.add(topo().realServer(i));
        }
        while (System.nanoTime() < deadline) {
            int open = 0;
            for (String ns : namespaces) {
                for (String line : run(List.of("ip", "netns", "exec", ns, "ss", "-tanH")).out().split("\n")) {
                    String state = line.strip().split("\\s+")[0];
                    open += state.isEmpty() || state.equals("LISTEN") || state.equals("TIME-WAIT") ? 0 : 1;
                }
            }
            if (open == 0) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /** Starts {@code TrafficMain args} in the client namespace; stopped with the directors. */
    TrafficProcess traffic(List<String> args) {
        TrafficProcess p = TrafficProcess.start(topo().client(), args);
        traffic.add(p);
        return p;
    }

    /**
     * Starts {@code count} long-lived streams (a line every 200 ms) to {@code vip}:9000 from the first
     * {@code sources} client source addresses of the family, and waits until each got a reply.
     */
    TrafficProcess streams(boolean v6, int count, int sources) throws InterruptedException {
        return streams(v6 ? LabTopology.VIP6 : LabTopology.VIP4, count,
            v6 ? LabTopology.CLIENT_SOURCES6 : LabTopology.CLIENT_SOURCES4, sources);
    }

    /**
     * Starts {@code count} long-lived streams (a line every 200 ms) to {@code vip}:9000 from {@code sources}
     * client source addresses starting at {@code firstSource}, and waits until each got a reply.
     */
    TrafficProcess streams(String vip, int count, String firstSource, int sources) throws InterruptedException {
        TrafficProcess p = traffic(List.of("streams", "--vip", vip,
            "--count", String.valueOf(count), "--interval-ms", "200", "--progress-ms", "0",
            // VRRP and BGP fail over in seconds: TCP retransmits meanwhile, as an application would wait
            "--timeout-ms", ha == HaMode.STATIC ? "2000" : "15000",
            "--sources", firstSource, "--source-count", String.valueOf(sources)));
        long deadline = System.nanoTime() + CONNECT.toNanos();
        while (true) {
            StreamSummary s = report(p);
            int connected = s.servers().values().stream().mapToInt(Integer::intValue).sum();
            if (connected == count || s.broken() > 0 || System.nanoTime() > deadline) {
                return p;
            }
            Thread.sleep(300);
        }
    }

    /** Asks a streams process for its summary now. */
    static StreamSummary report(TrafficProcess p) throws InterruptedException {
        p.send(TrafficMain.REPORT);
        return StreamSummary.parse(p.await(TrafficMain.REPORT, Duration.ofSeconds(10)));
    }

    /**
     * One HTTP GET from the client namespace to {@code url}, bound to source address {@code source}; the body
     * (the real server's name) or null if it failed.
     */
    String httpGet(String source, String url) {
        Result r = run(List.of("ip", "netns", "exec", topo().client(), "curl", "-sS", "-g", "--max-time", "3",
            "--interface", source, url));
        return r.ok() ? r.out().strip() : null;
    }

    /**
     * The peer addresses of the established TCP connections on local port {@code port} inside real server
     * {@code i}'s namespace, as its kernel sees them ({@code ss}); IPv4-mapped IPv6 peers as plain IPv4.
     */
    Set<String> realServerPeers(int i, int port) {
        Set<String> peers = new TreeSet<>();
        for (String endpoint : sockets(topo().realServer(i), "sport", port, true)) {
            peers.add(ConnEntry.host(endpoint));
        }
        return peers;
    }

    /**
     * The client's established TCP connections to remote port {@code port}, as {@code addr:port} of the client
     * end in the director listing's spelling: the flows of the traffic running now.
     */
    Set<String> clientFlows(int port) {
        return sockets(topo().client(), "dport", port, false);
    }

    /** The entries of {@code d} on virtual port {@code port} that belong to one of {@code flows}. */
    static List<ConnEntry> entriesOf(LabDirector d, int port, Set<String> flows) {
        return connections(d, port).stream().filter(c -> flows.contains(c.source())).toList();
    }

    // ss of the established sockets with the given port; the peer end (else the local end) as addr:port
    private static Set<String> sockets(String ns, String which, int port, boolean peer) {
        Result r = run(List.of("ip", "netns", "exec", ns, "ss", "-tnH", "state", "established",
            "( " + which + " = :" + port + " )"));
        Set<String> out = new TreeSet<>();
        for (String line : r.out().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 4) {
                String endpoint = f[peer ? f.length - 1 : f.length - 2];
                String host = ConnEntry.host(endpoint);
                host = host.startsWith("::ffff:") ? host.substring("::ffff:".length()) : host;
                int p = ConnEntry.port(endpoint);
                out.add(host.contains(":") ? "[" + host + "]:" + p : host + ":" + p);
            }
        }
        return out;
    }

    /** {@code uvsadm -L -n -c} on {@code d}, or the error text if it is not running. */
    static String connections(LabDirector d) {
        try {
            return d.uvsadmOk("-L", "-n", "-c");
        } catch (IOException e) {
            return "(" + d.name() + ": " + e.getMessage() + ")";
        }
    }

    /** The connection entries (not templates) of {@code d} whose virtual port is {@code port}. */
    static List<ConnEntry> connections(LabDirector d, int port) {
        return ConnEntry.parse(connections(d)).stream()
            .filter(c -> c.isConnection() && ConnEntry.port(c.virtual()) == port).toList();
    }

    /** Both directors' log tails and data-plane counters and the lab's status, for failure messages. */
    String diagnostics() {
        StringBuilder b = new StringBuilder();
        try {
            b.append("\n--- lab:\n").append(lab.status());
        } catch (RuntimeException e) {
            b.append("\n--- lab status: ").append(e.getMessage());
        }
        b.append(daemonDiagnostics());
        if (directors == null) {
            return b.append("(no directors)").toString();
        }
        for (LabDirector d : List.of(directors.d1(), directors.d2())) {
            b.append("\n--- ").append(d.name()).append(d.alive() ? " (running)" : " (stopped)").append(" log:\n")
                .append(d.logTail()).append("\n--- ").append(d.name()).append(" -L --dataplane:\n");
            if (d.alive()) {
                try {
                    b.append(d.uvsadmOk("-L", "--dataplane"));
                } catch (IOException e) {
                    b.append("(").append(e.getMessage()).append(")\n");
                }
            } else {
                b.append("(not running)\n");
            }
        }
        return b.toString();
    }

    // what keepalived or BIRD said last (their logs' tails, BIRD's protocols on the router)
    private String daemonDiagnostics() {
        StringBuilder b = new StringBuilder();
        Path state = topo().stateDir();
        List<Path> logs = switch (ha) {
            case VRRP -> List.of(state.resolve("d1/keepalived.log"), state.resolve("d2/keepalived.log"));
            case BGP -> List.of(state.resolve("router/bird.log"), state.resolve("d1/bird.log"),
                state.resolve("d2/bird.log"));
            case STATIC -> List.of();
        };
        if (ha == HaMode.BGP) {
            try {
                b.append("\n--- router birdc show protocols:\n").append(lab.daemons().routerBirdc("show protocols"));
            } catch (RuntimeException e) {
                b.append("\n--- router birdc: ").append(e.getMessage());
            }
        }
        for (Path log : logs) {
            try {
                List<String> lines = Files.readAllLines(log);
                b.append("\n--- ").append(state.relativize(log)).append(":\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size())));
            } catch (IOException e) {
                b.append("\n--- ").append(log).append(": ").append(e.getMessage());
            }
        }
        return b.toString();
    }

    /** Diagnostics plus the traffic processes' transcripts (last lines). */
    String diagnostics(TrafficProcess... processes) {
        StringBuilder b = new StringBuilder(diagnostics());
        for (TrafficProcess p : processes) {
            List<String> t = p.transcript();
            b.append("\n--- traffic:\n").append(String.join("\n", t.subList(Math.max(0, t.size() - 5), t.size())));
        }
        return b.toString();
    }

    /** Stops the directors and traffic, removes the lab and its work files. */
    @Override
    public void close() throws IOException {
        try {
            stopDirectors();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lab.down();
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Exit status and output of a finished command. */
    record Result(int status, String out, String err) {
        boolean ok() {
            return status == 0;
        }
    }

    /** Runs {@code argv} (bounded by a timeout) and returns its status and output. */
    static Result run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out.getNow(""), "no exit after " + COMMAND_SECONDS + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            return new Result(-1, "", String.join(" ", argv) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }

    /** Prints a measured result on the test output (the numbers a run achieved, for the record). */
    static void note(String line) {
        System.out.println("e2e: " + line);
    }

    /** Sleeps; a helper so tests read as timelines. */
    static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    private static String drain(InputStream s) {
        try (s) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
