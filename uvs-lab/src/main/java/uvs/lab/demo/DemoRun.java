package uvs.lab.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.Lab;
import uvs.lab.net.LabTopology;
import uvs.lab.net.PersistenceSummary;
import uvs.lab.net.RouteMode;
import uvs.lab.net.StreamSummary;
import uvs.lab.net.TrafficMain;
import uvs.lab.net.TrafficProcess;

/**
 * {@code uvs demo}: two UVS directors in the namespace lab in front of three real servers (wlc, persistence
 * 300 s, direct routing, sync master+backup on both), long-lived TCP streams and persistent HTTP clients,
 * then the active director killed; reports how many flows continued and how many clients kept their server.
 */
public final class DemoRun {
    /** Lab prefix of the demo (kept apart from a lab the operator runs with {@code uvs lab}). */
    public static final String PREFIX = "uvsdemo";

    private final int streams;
    private final int seconds;
    private final int workers;
    private final PrintWriter out;
    private String results = "";

    /**
     * A run with {@code streams} TCP streams, {@code seconds} of traffic before and after the failure and
     * {@code workers} data-plane workers per director.
     */
    public DemoRun(int streams, int seconds, int workers, PrintWriter out) {
        this.streams = streams;
        this.seconds = seconds;
        this.workers = workers;
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
            + PREFIX + "-*)");
        // Ctrl-C must not leave namespaces and processes behind
        Thread cleanup = new Thread(lab::down, "uvs-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        lab.up(RouteMode.D1, GatewayMode.DR);
        try (DirectorPair directors = new DirectorPair(topo, work)) {
            say("starting uvsd on d1 (active) and d2 (standby): wlc, persistence 300 s, direct routing, "
                + "sync master+backup on both over sync0");
            directors.start(rules(), "", List.of(), true, workers);
            Thread.sleep(1500); // the data planes resolve the real servers' and router's MACs
            List<String> sources = List.of("--sources", LabTopology.CLIENT_SOURCES4, "--source-count",
                String.valueOf(LabTopology.CLIENT_SOURCE_COUNT));
            try (TrafficProcess flows = TrafficProcess.start(topo.client(), concat(List.of("streams", "--vip",
                    LabTopology.VIP4, "--count", String.valueOf(streams), "--interval-ms", "200", "--progress-ms", "0"),
                    sources));
                 TrafficProcess clients = TrafficProcess.start(topo.client(), concat(List.of("persistent", "--vip",
                    LabTopology.VIP4, "--rounds", "1"), sources))) {
                PersistenceSummary before = PersistenceSummary.parse(
                    clients.await(TrafficMain.ROUND, Duration.ofSeconds(60)));
                say(streams + " TCP streams (a line every 200 ms) and " + before.clients()
                    + " persistent HTTP clients on " + LabTopology.VIP4 + " through d1");
                live(directors.d1(), seconds);
                say("killing d1 (SIGKILL); the router now sends " + LabTopology.VIP4 + " to d2");
                directors.failOver(List.of());
                lab.routeMode(RouteMode.D2);
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
                results = String.format("flows continued: %d/%d (%s%%)%npersistent clients kept: %d/%d (%s%%)%n",
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
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
