package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uvs.daemon.ControlProtocol;
import uvs.lab.demo.LabDirector;

/**
 * A two-armed director (clients on eth0, real servers on eth1, {@code uvsd --interface eth0,eth1}) for DR and
 * NAT, IPv4 and IPv6, over AF_PACKET and AF_XDP ports: data sent through the VIP comes back intact on the first
 * try, with no TCP retransmission at the client; the first SYN toward a real server whose MAC nobody has
 * resolved yet waits for ARP/ND in UVS's neighbour queue instead of being lost; a real server no data-plane
 * interface reaches is refused; a director killed with SIGKILL leaves no XDP program behind; with three
 * workers, the replies toward a client on the link leave even when worker 0 does not own the client.
 */
@Tag("root")
class TwoArmedE2eTest {
    private static final int BYTES = 256 * 1024;
    private static final long SEED = 14;
    /** Fresh real server addresses tried per family: each try is a new neighbour (see firstSynWaits). */
    private static final int TRIES = 3;

    private static TwoArmedLab lab;
    private LabDirector director;

    @BeforeAll
    static void up() throws IOException {
        lab = TwoArmedLab.open();
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (director != null) {
            lab.awaitQuiet();
            director.close();
        }
    }

    @ParameterizedTest(name = "--io {0}")
    @ValueSource(strings = {"af_packet", "af_xdp"})
    void natForwardsBothFamiliesThroughTwoArmsIntactWithoutRetransmission(String io) throws Exception {
        lab.gateway(true);
        start("-m", 1, io);
        assertThat(director.uvsadmOk("-L", "--dataplane")).contains("io " + io + " (");
        passesIntact(TwoArmedLab.VIP4);
        passesIntact(TwoArmedLab.VIP6);
        firstSynWaits("-m", false, 1);
        firstSynWaits("-m", true, 1);
    }

    @ParameterizedTest(name = "--io {0}")
    @ValueSource(strings = {"af_packet", "af_xdp"})
    void directRoutingForwardsBothFamiliesThroughTwoArmsIntactWithoutRetransmission(String io) throws Exception {
        lab.gateway(false);
        start("-g", 1, io);
        assertThat(director.uvsadmOk("-L", "--dataplane")).contains("io " + io + " (");
        passesIntact(TwoArmedLab.VIP4);
        passesIntact(TwoArmedLab.VIP6);
        firstSynWaits("-g", false, 1 + TRIES);
        firstSynWaits("-g", true, 1 + TRIES);
    }

    @ParameterizedTest(name = "--io {0}")
    @ValueSource(strings = {"af_packet", "af_xdp"})
    void natWithTwoWorkersKeepsBothDirectionsOfAConnectionOnOneShardAcrossBothArms(String io) throws Exception {
        lab.gateway(true);
        start("-m", 2, io);
        assertThat(director.uvsadmOk("-L", "--dataplane")).contains("io " + io + " (");
        passesIntact(TwoArmedLab.VIP4);
        passesIntact(TwoArmedLab.VIP6);
        // which worker's sockets the frames reached (AF_XDP: the queue's), and what was handed over
        for (String line : director.uvsadmOk("-L", "--dataplane").split("\n")) {
            if (line.contains("worker ") || line.contains("hand-offs")) {
                E2eLab.note("--io " + io + ", 2 workers: " + line.strip());
            }
        }
    }

    @Test
    void refusesARealServerThatNoDataPlaneInterfaceReaches() throws Exception {
        lab.gateway(true);
        start("-m");
        ControlProtocol.Reply r = director.uvsadm("-a", "-t", TwoArmedLab.VIP4 + ":" + TwoArmedLab.ECHO_PORT, "-r",
            "192.0.2.7:" + TwoArmedLab.ECHO_PORT, "-m");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr().strip()).isEqualTo("Real server 192.0.2.7 is not reachable through the data-plane "
            + "interfaces eth0,eth1 (no route)");
        assertThat(director.uvsadmOk("-S", "-n")).doesNotContain("192.0.2.7");
    }

    @Test
    void autoUsesAfXdpWhereItCanAndSaysWhyNotElsewhere() throws Exception {
        lab.gateway(true);
        start("-m", 1, "auto");
        assertThat(director.uvsadmOk("-L", "--dataplane")).contains("io af_xdp (eth0: native XDP");
        passesIntact(TwoArmedLab.VIP4);
        lab.awaitQuiet();
        director.close();
        // the next uvsd must find the client's MAC itself: the client keeps the director's MAC cached, so it
        // sends no ARP request the director's kernel would learn it from
        E2eLab.run(List.of("ip", "-n", lab.director(), "neigh", "flush", "all"));
        start("-m", 3, "auto");
        assertThat(director.uvsadmOk("-L", "--dataplane")).contains("io af_packet (AF_XDP not used: --workers 3: "
            + "eth0 has 2 receive queues");
        assertThat(director.logTail()).contains("data plane io: af_packet (AF_XDP not used: --workers 3");
        // three workers: the NAT replies toward the client on the link need its MAC, which only the client's
        // worker asks for (through worker 0, which keeps the caches)
        passesIntact(TwoArmedLab.VIP4);
        passesIntact(TwoArmedLab.VIP6);
    }

    @Test
    void aKilledDirectorLeavesNoXdpProgramAndTheNextOneStartsClean() throws Exception {
        lab.gateway(true);
        start("-m", 1, "af_xdp");
        assertThat(director.uvsadmOk("-L", "--dataplane")).contains("io af_xdp (eth0: native XDP, copy AF_XDP");
        assertThat(links()).as("XDP programs while uvsd runs").contains("prog/xdp");
        director.kill();
        // the kernel frees a BPF link, and detaches its program, when the killed process's descriptors close
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (links().contains("xdp") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(links()).as("ip -d link show after SIGKILL").doesNotContain("xdp");
        start("-m", 1, "af_xdp");
        passesIntact(TwoArmedLab.VIP4);
    }

    /** {@code ip -d link show} of the director's namespace. */
    private String links() {
        return E2eLab.run(List.of("ip", "-n", lab.director(), "-d", "link", "show")).out();
    }

    private void start(String method) throws IOException, InterruptedException {
        start(method, 1, "af_packet");
    }

    private void start(String method, int workers, String io) throws IOException, InterruptedException {
        String port = ":" + TwoArmedLab.ECHO_PORT;
        String rules = "-A -t " + TwoArmedLab.VIP4 + port + " -s rr\n"
            + "-a -t " + TwoArmedLab.VIP4 + port + " -r " + TwoArmedLab.REAL_SERVER4 + port + " " + method + " -w 1\n"
            + "-A -t [" + TwoArmedLab.VIP6 + "]" + port + " -s rr\n"
            + "-a -t [" + TwoArmedLab.VIP6 + "]" + port + " -r [" + TwoArmedLab.REAL_SERVER6 + "]" + port + " " + method
            + " -w 1\n";
        director = new LabDirector("d", lab.director(), lab.work()).io(io);
        director.start(rules, "", "eth0,eth1", List.of(), workers);
        Thread.sleep(1500); // the data plane resolves the real servers' MACs at start
    }

    /**
     * 256 KiB echoed through the VIP: intact, and neither the client nor the real server lost a segment on
     * the way (no retransmission that D-SACK does not prove spurious, nor a tail loss probe that repaired a
     * loss).
     */
    private void passesIntact(String vip) throws InterruptedException {
        lab.awaitQuiet();
        long[] client = lab.retransmissions(lab.client());
        long[] server = lab.retransmissions(lab.realServer());
        E2eLab.Result r = lab.echoFromClient(vip, BYTES, SEED);
        assertThat(r.out().strip()).as("echo through %s: %s %s; director: %s", vip, r.out(), r.err(), dataplane())
            .isEqualTo("intact " + BYTES);
        long[] clientAfter = lab.retransmissions(lab.client());
        long[] serverAfter = lab.retransmissions(lab.realServer());
        assertThat(TwoArmedLab.segmentsLost(client, clientAfter)).as("client segments lost through %s; client: %s; director: %s", vip,
            lab.tcpState(lab.client()), dataplane()).isZero();
        assertThat(TwoArmedLab.synsLost(client, clientAfter)).as("client SYNs lost through %s", vip).isZero();
        assertThat(TwoArmedLab.segmentsLost(server, serverAfter)).as("real server segments lost toward the client through %s; "
            + "real server: %s; director: %s", vip, lab.tcpState(lab.realServer()), dataplane()).isZero();
    }

    /**
     * Replaces the service's real server by a fresh address of the real server whose MAC UVS has not resolved,
     * and connects at once: the SYN must wait for ARP/ND and go through without a retransmission. The data
     * plane also asks for every real server's MAC once a second, so a try where that request won the race
     * (no neighbour miss counted) is repeated with the next fresh address.
     */
    private void firstSynWaits(String method, boolean v6, int firstAddress) throws IOException, InterruptedException {
        String port = ":" + TwoArmedLab.ECHO_PORT;
        String vip = v6 ? "[" + TwoArmedLab.VIP6 + "]" + port : TwoArmedLab.VIP4 + port;
        String old = v6 ? "[" + TwoArmedLab.REAL_SERVER6 + "]" + port : TwoArmedLab.REAL_SERVER4 + port;
        for (int t = 0; t < TRIES; t++) {
            int i = firstAddress + t;
            String fresh = (v6 ? "[" + TwoArmedLab.realServer6(i) + "]" : TwoArmedLab.realServer4(i)) + port;
            lab.awaitQuiet();
            long missesBefore = counter("misses");
            long[] before = lab.retransmissions(lab.client());
            director.uvsadmOk("-a", "-t", vip, "-r", fresh, method, "-w", "1");
            director.uvsadmOk("-d", "-t", vip, "-r", old);
            E2eLab.Result r = lab.quickEcho(v6 ? TwoArmedLab.VIP6 : TwoArmedLab.VIP4);
            long[] after = lab.retransmissions(lab.client());
            old = fresh;
            assertThat(r.out().strip()).as("first exchange with %s: %s; director: %s", fresh, r.err(), dataplane())
                .isEqualTo("hello");
            assertThat(TwoArmedLab.synsLost(before, after)).as("SYN retransmissions toward %s; director: %s", fresh, dataplane())
                .isZero();
            assertThat(TwoArmedLab.segmentsLost(before, after)).as("segments lost toward %s", fresh).isZero();
            if (counter("misses") > missesBefore) {
                E2eLab.note("first SYN to " + fresh + " waited for its real server's MAC and passed (try " + (t + 1)
                    + ")");
                return;
            }
        }
        throw new AssertionError("in " + TRIES + " tries the real server's MAC was always resolved before the first "
            + "SYN: the neighbour queue was not exercised; director: " + dataplane());
    }

    /** A counter of the {@code neighbours ...} line of {@code uvsadm -L --dataplane}. */
    private long counter(String name) throws IOException {
        for (String line : director.uvsadmOk("-L", "--dataplane").split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w.length > 1 && w[0].equals("neighbours")) {
                for (int i = 0; i + 1 < w.length; i++) {
                    if (w[i].equals(name)) {
                        return Long.parseLong(w[i + 1]);
                    }
                }
            }
        }
        throw new IOException("no " + name + " in uvsadm -L --dataplane");
    }

    private String dataplane() {
        try {
            return director.uvsadmOk("-L", "--dataplane") + director.uvsadmOk("-L", "-n") + "\nuvsd log:\n"
                + director.logTail();
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
