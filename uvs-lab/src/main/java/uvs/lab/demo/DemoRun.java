package uvs.lab.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.HaMode;
import uvs.lab.net.Lab;
import uvs.lab.net.LabTopology;
import uvs.lab.net.PersistenceSummary;
import uvs.lab.net.RouteMode;
import uvs.lab.net.StreamSummary;
import uvs.lab.net.TrafficMain;
import uvs.lab.net.TrafficProcess;

/**
 * {@code uvs demo}: two UVS directors in the namespace lab in front of three real servers (wlc, persistence
 * 300 s, direct routing, sync), long-lived TCP streams and persistent HTTP clients, then the active director
 * killed while keepalived's VRRP (or BIRD's BGP, or the lab's static routes) moves the VIP; reports what the
 * daemons said, how long the failover took, how many flows continued and how many clients kept their server.
 */
public final class DemoRun {
    /** Lab prefix of the demo (kept apart from a lab the operator runs with {@code uvs lab}). */
    public static final String PREFIX = "uvsdemo";

    private static final long FAILOVER_TIMEOUT_MILLIS = 30_000;
    // a stream is broken when TCP could not get a reply through for this long: longer than any failover here,
    // as an application's read timeout would be
    private static final long STREAM_TIMEOUT_MILLIS = 15_000;

    private final int streams;
    private final int seconds;
    private final int workers;
    private final HaMode ha;
    private final double advertInt;
    private final boolean machine;
    private final PrintWriter out;
    private String results = "";

    /**
     * A run with {@code streams} TCP streams, {@code seconds} of traffic before and after the failure,
     * {@code workers} data-plane workers per director, and the VIP moved by {@code ha} (VRRP advertisements every
     * {@code advertInt} seconds); {@code machine}: d1 fails as a machine (its uvsd and its keepalived or BIRD
     * killed), else only its uvsd is killed.
     */
    public DemoRun(int streams, int seconds, int workers, HaMode ha, double advertInt, boolean machine,
                   PrintWriter out) {
        this.advertInt = advertInt;
        this.machine = machine;
        this.streams = streams;
        this.seconds = seconds;
        this.workers = workers;
        this.ha = ha;
        this.out = out;
    }

    /** The embedded default configuration, in ipvsadm-save form. */
    public static String rules() {
        StringBuilder sb = new StringBuilder();
        for (int port : List.of(LabTopology.HTTP_PORT, LabTopology.STREAM_PORT)) {
            sb.append("-A -t ").append(LabTopology.VIP4).append(':').append(port).append(" -s wlc -p 300\n");
            for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
                sb.append("-a -t ").append(LabTopology.VIP4).append(':').append(port).append(" -r ")
                    .append(LabTopology.realServer4(i)).append(':').append(port).append(" -g -w 1\n");
            }
        }
        return sb.toString();
    }

    /** Runs the demo; the lab is removed at the end, also after a failure. Returns the exit status. */
    public int run() throws IOException, InterruptedException {
        LabTopology topo = new LabTopology(PREFIX);
        Lab lab = new Lab(topo);
        Path work = Files.createTempDirectory("uvs-demo");
        say("building the lab: client, router, directors d1 and d2, real servers rs1..rs3 (network namespaces "
            + PREFIX + "-*), " + switch (ha) {
                case VRRP -> "keepalived (VRRP) on both directors";
                case BGP -> "BIRD (BGP + BFD) on the router and both directors";
                case STATIC -> "VIP routes set by the lab";
            });
        // Ctrl-C must not leave namespaces and processes behind
        Thread cleanup = new Thread(lab::down, "uvs-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        lab.up(ha, RouteMode.D1, GatewayMode.DR);
        try (DirectorPair directors = new DirectorPair(lab, work, ha).advertInt(advertInt)) {
            say(switch (ha) {
                case VRRP -> "starting uvsd on d1 and d2 with --import of their keepalived.conf (wlc, persistence "
                    + "300 s, direct routing; the sync role follows VRRP over sync0)";
                case BGP -> "starting uvsd on d1 and d2 (wlc, persistence 300 s, direct routing, sync master+backup "
                    + "on both over sync0), each announcing the VIP through its BIRD";
                case STATIC -> "starting uvsd on d1 (active) and d2 (standby): wlc, persistence 300 s, direct "
                    + "routing, sync master+backup on both over sync0";
            });
            directors.start(rules(), "", List.of(), true, workers);
            daemonsSay(lab, "before the failure", false);
            Thread.sleep(1500); // the data planes resolve the real servers' and router's MACs
            List<String> sources = List.of("--sources", LabTopology.CLIENT_SOURCES4, "--source-count",
                String.valueOf(LabTopology.CLIENT_SOURCE_COUNT));
            try (TrafficProcess flows = TrafficProcess.start(topo.client(), concat(List.of("streams", "--vip",
                    LabTopology.VIP4, "--count", String.valueOf(streams), "--interval-ms", "200", "--progress-ms", "0",
                    "--timeout-ms", String.valueOf(STREAM_TIMEOUT_MILLIS)),
                    sources));
                 TrafficProcess clients = TrafficProcess.start(topo.client(), concat(List.of("persistent", "--vip",
                    LabTopology.VIP4, "--rounds", "1"), sources))) {
                PersistenceSummary before = PersistenceSummary.parse(
                    clients.await(TrafficMain.ROUND, Duration.ofSeconds(60)));
                say(streams + " TCP streams (a line every 200 ms) and " + before.clients()
                    + " persistent HTTP clients on " + LabTopology.VIP4 + (ha == HaMode.BGP ? " through d1 and d2"
                    : " through d1"));
                live(directors.d1(), seconds);
                long failover = failOver(lab, directors);
                String failoverLine = failover < 0 ? "failover: " + ha.cliName() + " did not move " + LabTopology.VIP4
                    + " to d2 within " + FAILOVER_TIMEOUT_MILLIS / 1000 + " s"
                    : "failover: " + ha.cliName() + " moved " + LabTopology.VIP4 + " to d2 in " + failover + " ms";
                say(failoverLine.substring("failover: ".length()));
                daemonsSay(lab, "after the failure", machine);
                live(directors.d2(), seconds);
                flows.send(TrafficMain.REPORT);
                StreamSummary s = StreamSummary.parse(flows.await(TrafficMain.REPORT, Duration.ofSeconds(30)));
                clients.send(TrafficMain.ROUND);
                PersistenceSummary after = PersistenceSummary.parse(
                    clients.await(TrafficMain.ROUND, Duration.ofSeconds(60)));
                flows.send(TrafficMain.STOP);
                clients.send(TrafficMain.STOP);
                say(s.toString());
                say("second round through d2: " + after);
                results = failoverLine + System.lineSeparator() + String.format("flows continued: %d/%d (%s%%)%npersistent clients kept: %d/%d (%s%%)%n",
                    s.alive(), s.total(), percent(s.alive(), s.total()), after.kept(), after.clients(),
                    percent(after.kept(), after.clients()));
                return 0;
            } catch (RuntimeException | IOException e) {
                out.println("uvs demo: " + e.getMessage());
                out.println("d1 log:\n" + directors.d1().logTail());
                out.println("d2 log:\n" + directors.d2().logTail());
                out.flush();
                return 1;
            }
        } finally {
            say("removing the lab");
            lab.down();
            Runtime.getRuntime().removeShutdownHook(cleanup);
            out.print(results);
            out.flush();
        }
    }

    /**
     * Fails d1 and returns the milliseconds until d2 took the VIP over (-1 if not within the timeout): uvsd is
     * killed, with keepalived or BIRD too for a machine failure; with VRRP the time runs until d2 forwards its
     * first packet, with BGP until the router's route has only d2 left (d2 forwarded half the flows already);
     * statically, the lab moves the route and the time runs until d2 forwards.
     */
    private long failOver(Lab lab, DirectorPair directors) throws IOException {
        long baseline = directors.d2().forwarded();
        say(switch (ha) {
            case VRRP -> machine ? "killing d1's uvsd and keepalived (SIGKILL), as a machine failure"
                : "killing d1's uvsd (SIGKILL); keepalived's track script sees it";
            case BGP -> machine ? "killing d1's uvsd and BIRD (SIGKILL), as a machine failure"
                : "killing d1's uvsd (SIGKILL)";
            case STATIC -> "killing d1 (SIGKILL); the lab now routes " + LabTopology.VIP4 + " to d2";
        });
        long t0 = System.nanoTime();
        switch (ha) {
            case VRRP, BGP -> {
                if (machine) {
                    directors.killMachine(1);
                } else {
                    directors.d1().kill();
                }
            }
            case STATIC -> {
                directors.failOver(List.of());
                lab.routeMode(RouteMode.D2);
            }
        }
        long deadline = t0 + FAILOVER_TIMEOUT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            boolean moved = ha == HaMode.BGP ? lab.vipNextHops().equals(List.of(2))
                : directors.d2().forwarded() > baseline;
            if (moved) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            sleepMillis(5);
        }
        return -1;
    }

    /** What keepalived or BIRD report, read from them ({@code d1Killed}: d1's keepalived is gone). */
    private void daemonsSay(Lab lab, String when, boolean d1Killed) {
        switch (ha) {
            case VRRP -> {
                if (d1Killed) {
                    say("keepalived on d1 " + when + ": killed with its machine");
                }
                for (int i = d1Killed ? 2 : 1; i <= LabTopology.DIRECTORS; i++) {
                    List<String> states = lab.daemons().keepalivedLog(i).stream()
                        .filter(l -> l.contains("Entering ") && l.contains(" STATE")).toList();
                    say("keepalived on d" + i + " " + when + ": "
                        + (states.isEmpty() ? "(no state change logged)" : states.getLast().strip()));
                }
            }
            case BGP -> {
                say("router's BIRD " + when + ": birdc show route for " + LabTopology.VIP4);
                for (String line : lab.daemons().routerBirdc("show route for " + LabTopology.VIP4).split("\n")) {
                    if (!line.isBlank() && !line.startsWith("BIRD ")) {
                        out.println("    " + line.strip());
                    }
                }
                out.flush();
            }
            case STATIC -> { }
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Prints one line a second of per-real-server connections and rates as {@code d} sees them. */
    private void live(LabDirector d, int secs) throws IOException, InterruptedException {
        out.printf("  %-4s %-3s", "t", "on");
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            out.printf(" | %-3s %6s %4s %6s", LabTopology.realServerName(i), "active", "cps", "inpps");
        }
        out.println();
        for (int t = 1; t <= secs; t++) {
            Thread.sleep(1000);
            Map<String, RealServerLoad> load = RealServerLoad.parse(d.uvsadmOk("-L", "-n"),
                d.uvsadmOk("-L", "-n", "--rate"));
            out.printf("  %-4s %-3s", t + "s", d.name());
            for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
                RealServerLoad l = load.getOrDefault(LabTopology.realServer4(i), new RealServerLoad(0, 0, 0, 0));
                out.printf(" | %10d %4d %6d", l.active(), l.cps(), l.inPps());
            }
            out.println();
            out.flush();
        }
    }

    private void say(String line) {
        out.println("uvs demo: " + line);
        out.flush();
    }

    private static String percent(int n, int of) {
        return of == 0 ? "0.0" : String.format("%.1f", 100.0 * n / of);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
