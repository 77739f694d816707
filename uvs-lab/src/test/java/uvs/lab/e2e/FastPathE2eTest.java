package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uvs.lab.demo.LabDirector;
import uvs.lab.net.GatewayMode;
import uvs.lab.net.JavaCommand;
import uvs.lab.net.LabTopology;
import uvs.lab.net.RouteMode;

/**
 * The fast path (XDP, or tcx) keeps the same books as UVS's worker (root only; NAT and DR, IPv4 and IPv6): the same UDP
 * and TCP traffic ({@link ReplayMain}: fixed flows in lock step, so every run has the same packets) goes
 * through d1 over AF_XDP with {@code --fast-path off} and then {@code on}, with d2 as its sync backup; the
 * connection tables (states, real servers, counts), connection counts and d2's synced table must be equal, and
 * each run's per-real-server packets and bytes must equal what the real servers' kernels counted
 * ({@link ServerCounters}), all read after the fold interval has passed; and with the fast path
 * on most packets must have gone through it rather than the worker. The {@code tc} cases run over AF_PACKET, with
 * the fast path at traffic control's ingress instead of XDP. {@code nat4x2} runs two workers on two
 * queues, so a NAT reply may arrive at the worker that does not own its connection: that worker hands it to
 * the owner, which installs the flow from the handed-off packet.
 */
@Tag("root")
class FastPathE2eTest {
    private static final int PORT = 7000;
    private static final int FLOWS = 4;
    private static final int ROUNDS = 200;
    private static final int SIZE = 200;
    private static final int FIRST_SOURCE_PORT = 41000;
    private static final long HOLD_MILLIS = 9_000;

    /** What a run left in the directors' books. */
    private record Books(List<String> table, String stats, List<String> served, List<String> backupTable,
                         long workerPackets, long folded, String dataplane) {
        /** The Conns column of every service and real server line (the packet columns follow the traffic). */
        List<String> connections() {
            List<String> out = new ArrayList<>();
            for (String line : stats.split("\n")) {
                String[] w = line.strip().split("\\s+");
                if (w.length >= 6 && w[w.length - 5].matches("\\d+")) {
                    out.add(String.join(" ", List.of(w).subList(0, w.length - 4)));
                }
            }
            return out;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nat4", "dr4", "nat6", "dr6", "nat4x2", "nat4tc", "dr6tc"})
    void shouldKeepTheSameBooksWithTheFastPath(String method) throws Exception {
        boolean nat = method.startsWith("nat");
        boolean v6 = method.contains("6");
        int workers = method.endsWith("x2") ? 2 : 1;
        // "tc": over AF_PACKET, with the fast path at traffic control's ingress
        String io = method.endsWith("tc") ? "af_packet" : "af_xdp";
        E2eLab lab = E2eLab.open("fp" + method.replace("x2", "w").replace("tc", "t"), RouteMode.D1,
            nat ? GatewayMode.NAT : GatewayMode.DR);
        List<Process> servers = new ArrayList<>();
        try {
            if (workers > 1) {
                // AF_XDP: one queue per worker
                assertThat(lab.lab().directorQueues(1, workers)).as("ethtool").isTrue();
                lab.lab().directorQueues(2, workers);
            }
            for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
                servers.add(startServer(lab, i, v6));
            }
            Books off = run(lab, nat, v6, workers, io, "off");
            Books on = run(lab, nat, v6, workers, io, "on");
            String why = "\n--- off:\n" + off + "\n--- on:\n" + on + lab.diagnostics();
            assertThat(off.table()).as("connections with the fast path off%s", why).hasSize(2 * FLOWS);
            assertThat(on.table()).as("d1's connection table%s", why).isEqualTo(off.table());
            // the client's kernel may send one pure ACK more or less from run to run (delayed or piggy-backed), so
            // each run's statistics must equal what the real servers' own kernels counted, not each other
            assertThat(ServerCounters.statsRows(off.stats())).as("d1's statistics, fast path off, against what "
                + "the real servers counted%s", why).isEqualTo(off.served());
            assertThat(ServerCounters.statsRows(on.stats())).as("d1's statistics, fast path on, against what "
                + "the real servers counted%s", why).isEqualTo(on.served());
            assertThat(on.connections()).as("d1's connection counts%s", why).isEqualTo(off.connections());
            assertThat(off.backupTable()).as("d2 holds the synced connections%s", why).hasSize(2 * FLOWS);
            assertThat(on.backupTable()).as("d2's synced table%s", why).isEqualTo(off.backupTable());
            assertThat(off.folded()).as("nothing folded with the fast path off%s", why).isZero();
            long total = (long) FLOWS * 2 * ROUNDS * (nat ? 2 : 1);
            assertThat(on.folded()).as("packets the fast path forwarded%s", why).isGreaterThan(total * 8 / 10);
            assertThat(on.workerPackets()).as("packets UVS's worker handled%s", why).isLessThan(total / 5);
            if (workers > 1) {
                // the router spreads the flows over d1's two queues and one shard owns the one client: with the
                // fast path off a good share of the frames reach the other worker, which hands them on; with it
                // on the worker handles under a fifth (above), so those flows were installed from hand-offs
                assertThat(handedOff(off.dataplane())).as("frames a worker handed to the owning worker%s", why)
                    .isGreaterThan(total / 10);
            }
        } finally {
            for (Process p : servers) {
                p.destroyForcibly();
            }
            lab.close();
        }
    }

    private static Process startServer(E2eLab lab, int i, boolean v6) throws IOException, InterruptedException {
        String ns = lab.topo().realServer(i);
        Process p = new ProcessBuilder(JavaCommand.inNamespace(ns, ReplayMain.class,
            List.of("server", String.valueOf(PORT), v6 ? LabTopology.VIP6 : LabTopology.VIP4)))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int t = 0; t < 150; t++) {
            if (E2eLab.run(List.of("ip", "netns", "exec", ns, "ss", "-ltnH", "sport", "= :" + PORT)).out()
                .contains(":" + PORT)) {
                return p;
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IOException("the replay server in " + ns + " did not listen within 15 s");
    }

    private static String rules(boolean nat, boolean v6) {
        StringBuilder b = new StringBuilder();
        for (String proto : List.of("-u", "-t")) {
            b.append("-A ").append(proto).append(' ').append(Rules.vip(v6, PORT)).append(" -s rr\n");
            for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
                b.append("-a ").append(proto).append(' ').append(Rules.vip(v6, PORT))
                    .append(" -r ").append(Rules.realServer(v6, i, PORT)).append(nat ? " -m" : " -g")
                    .append(" -w 1\n");
            }
        }
        return b.toString();
    }

    private static Books run(E2eLab lab, boolean nat, boolean v6, int workers, String io, String fastPath)
            throws Exception {
        List<String> announce = nat ? List.of(v6 ? LabTopology.NAT_GATEWAY6 : LabTopology.NAT_GATEWAY4) : List.of();
        ServerCounters.reset(lab, PORT);
        lab.startDirectors(rules(nat, v6), "", announce, true, workers,
            d -> d.io(io).options(List.of("--fast-path", fastPath)));
        Process client = new ProcessBuilder(JavaCommand.inNamespace(lab.topo().client(), ReplayMain.class,
            List.of("client", v6 ? LabTopology.VIP6 : LabTopology.VIP4, String.valueOf(PORT), String.valueOf(FLOWS),
                String.valueOf(ROUNDS), String.valueOf(SIZE), String.valueOf(HOLD_MILLIS),
                String.valueOf(FIRST_SOURCE_PORT))))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8));
            List<String> said = new ArrayList<>();
            for (String line = out.readLine(); line != null && !line.startsWith("lost"); line = out.readLine()) {
                said.add(line);
            }
            assertThat(said).as("the replay client (fast path %s)%s", fastPath, lab.diagnostics()).contains("ready");
            // past the fold interval (500 ms) and the sync master's sending
            Thread.sleep(2_500);
            LabDirector d1 = lab.directors().d1();
            LabDirector d2 = lab.directors().d2();
            String dataplane = d1.uvsadmOk("-L", "--dataplane");
            return new Books(table(d1), d1.uvsadmOk("-L", "-n", "--stats", "--exact"),
                ServerCounters.read(lab, v6, nat, PORT), table(d2),
                count(dataplane, "packets", 1), count(dataplane, "fast", 14), dataplane);
        } finally {
            if (!client.waitFor(HOLD_MILLIS + 5_000, TimeUnit.MILLISECONDS)) {
                client.destroyForcibly();
            }
            Thread.sleep(1_000); // the closing handshakes pass the directors still running
        }
    }

    /** The entries on the replay port, without expiry times and TCP client ports (the kernel picks those). */
    private static List<String> table(LabDirector d) {
        List<String> out = new ArrayList<>();
        for (ConnEntry c : ConnEntry.parse(E2eLab.connections(d))) {
            if (ConnEntry.port(c.virtual()) != PORT) {
                continue;
            }
            String client = c.protocol().equals("TCP") ? ConnEntry.host(c.source()) : c.source();
            out.add(c.protocol() + " " + c.state() + " " + client + " " + c.virtual() + " " + c.destination());
        }
        out.sort(null);
        return out;
    }

    /** Frames the workers received but did not decide themselves ({@code worker N: rx R packets P ...} lines). */
    private static long handedOff(String dataplane) {
        long n = 0;
        for (String line : dataplane.split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w[0].equals("worker") && w.length > 5) {
                n += Math.max(0, Long.parseLong(w[3]) - Long.parseLong(w[5]));
            }
        }
        return n;
    }

    /** Word {@code index} of the {@code -L --dataplane} line starting with {@code first}. */
    private static long count(String dataplane, String first, int index) {
        for (String line : dataplane.split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w[0].equals(first)) {
                // "fast path off (...)" has no counts
                return w.length > index && w[index].matches("\\d+") ? Long.parseLong(w[index]) : 0;
            }
        }
        return -1;
    }
}
