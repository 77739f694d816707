package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.lab.e2e.KernelTables.STREAMS;
import static uvs.lab.e2e.KernelTables.assertFailover;
import static uvs.lab.e2e.KernelTables.assertSameTables;
import static uvs.lab.e2e.KernelTables.awaitSynced;
import static uvs.lab.e2e.KernelTables.entriesOf;
import static uvs.lab.e2e.KernelTables.head;
import static uvs.lab.e2e.KernelTables.streamEntries;
import static uvs.lab.e2e.KernelTables.templates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import uvs.daemon.ControlProtocol;
import uvs.lab.demo.LabDirector;
import uvs.lab.net.LabTopology;
import uvs.lab.net.PersistenceSummary;
import uvs.lab.net.RouteMode;
import uvs.lab.net.StreamSummary;
import uvs.lab.net.TrafficMain;
import uvs.lab.net.TrafficProcess;

/**
 * A Linux kernel director and a UVS director in one sync group (root, qemu): 200 long-lived streams and 100
 * persistent clients (wlc, persistence 300 s, direct routing, sync v1 with syncid 1) go through UVS on d2, whose
 * sync master feeds the kernel's backup; the UVS director dies and the kernel carries the flows. Then the kernel
 * is the master, a fresh UVS backup on d2 learns the flows from it and from 50 new IPv6 streams through the
 * kernel, the kernel dies and UVS carries them all again.
 * At each hand-over the backup's connection entries, templates and per-server counters must equal the master's,
 * at least 99 % of the streams must survive without a reset, and the persistent clients must keep their server.
 */
@Tag(KernelTier.TAG)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelSyncTest {
    /** IPv6 streams through the kernel master, from this many client addresses (one template each). */
    private static final int STREAMS6 = 50;
    private static final int SOURCES6 = 10;
    /** Streams of the sync settings test, from this many client addresses (one template each). */
    private static final int SETTINGS_STREAMS = 20;
    private static final int SETTINGS_SOURCES = 10;
    /** A second VIP for the sync v0 check, served by its own service. */
    private static final String V0_VIP = "10.100.2.101";
    /** The sync settings tests' persistent service and their service without persistence, on the second VIP. */
    private static final String PERSISTENT = V0_VIP + ":" + LabTopology.STREAM_PORT;
    private static final String PLAIN = V0_VIP + ":" + LabTopology.HTTP_PORT;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static KernelLab k;

    @BeforeAll
    static void bringUp() throws Exception {
        k = KernelLab.open("ks");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (k != null) {
            k.close();
        }
    }

    /**
     * A kernel backup with syncid 1 ignores a UVS master's datagrams of syncid 2 and those of UVS's reliable and
     * authenticated modes (their trailer makes the IPVS size field disagree with the datagram's length, so the
     * kernel drops the whole datagram), keeps running, and applies plain ones of syncid 1 afterwards. IPv6
     * streams, so the IPv4 tables of the next tests stay as they were.
     */
    @Test
    @Order(1)
    void shouldIgnoreOtherSyncidsAndUvsExtensions() throws Exception {
        E2eLab lab = k.lab();
        String rules = new Rules().service(true, LabTopology.STREAM_PORT, "wlc", 300, "-g").toString();
        LabDirector uvs = lab.startDirectors(rules, "", List.of(), false).d2();
        k.rules(rules);
        k.ipvsadm("--start-daemon", "backup", "--mcast-interface", "eth1", "--syncid", "1");
        Path key = KernelTier.workDir("key").resolve("sync.key");
        Files.writeString(key, "6b65726e656c2074696572206b6579206f662074686972747920747779206279");
        List<List<String>> masters = List.of(List.of("--syncid", "2"), List.of("--syncid", "1", "--sync-reliable"),
            List.of("--syncid", "1", "--sync-auth-key", key.toString(), "--sync-mixed-group"),
            List.of("--syncid", "1"));
        int[] learned = new int[masters.size()];
        long[] sent = new long[masters.size()];
        for (int i = 0; i < masters.size(); i++) {
            List<String> start = new ArrayList<>(List.of("--start-daemon", "master", "--mcast-interface",
                LabTopology.SYNC_IF));
            start.addAll(masters.get(i));
            uvs.uvsadmOk(start.toArray(String[]::new));
            long sentBefore = entriesSent(uvs);
            TrafficProcess streams = lab.streams(true, 20, 20);
            E2eLab.pause(Duration.ofSeconds(2));
            Set<String> flows = lab.clientFlows(LabTopology.STREAM_PORT);
            learned[i] = kernelEntries(flows).size();
            sent[i] = entriesSent(uvs) - sentBefore;
            assertThat(flows).as("streams of master %s%s", masters.get(i), k.diagnostics()).hasSize(20);
            streams.close();
            uvs.uvsadmOk("--stop-daemon", "master");
        }
        Files.delete(key);
        Files.delete(key.getParent());
        int v0 = syncVersion0(uvs);
        k.ipvsadm("--stop-daemon", "backup");
        E2eLab.note("sync_version 0 both ways: " + v0 + " HTTP entries and templates equal on master and backup");
        E2eLab.note("kernel backup (syncid 1) learned from UVS masters (IPv6 streams) " + masters + ": "
            + learned[0] + ", " + learned[1] + ", " + learned[2] + ", " + learned[3] + " of 20 stream entries; "
            + "UVS sent " + Arrays.toString(sent) + " entries");
        assertThat(k.vm().alive()).as("kernel VM alive").isTrue();
        assertThat(Arrays.stream(sent).boxed().toList()).as("entries each UVS master %s sent", masters)
            .allMatch(n -> n >= 20);
        assertThat(learned).as("stream entries the kernel learned from UVS masters %s%s", masters, k.diagnostics())
            .containsExactly(0, 0, 0, 20);
    }

    /**
     * Sync v0 both ways, with ten HTTP requests to a second VIP each (its own service, so the next test's tables
     * stay as they were): through a UVS master to the kernel backup, then through the kernel as master to a UVS
     * backup; the backup's entries and templates of that service (v0 carries no timeouts: each uses its own)
     * must equal the master's. Returns how many entries the second comparison held.
     */
    private static int syncVersion0(LabDirector uvs) throws Exception {
        E2eLab lab = k.lab();
        String vip = V0_VIP + ":" + LabTopology.HTTP_PORT;
        KernelTier.ip(lab.topo().router(), List.of("route replace " + V0_VIP + "/32 via " + LabTopology.director4(2)
            + " dev " + LabTopology.BRIDGE));
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            KernelTier.ip(lab.topo().realServer(i), List.of("addr add " + V0_VIP + "/32 dev lo"));
        }
        StringBuilder rules = new StringBuilder("-A -t " + vip + " -s rr -p 300\n");
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            rules.append("-a -t ").append(vip).append(" -r ").append(Rules.realServer(false, i, LabTopology.HTTP_PORT))
                .append(" -g -w 1\n");
        }
        for (String line : rules.toString().split("\n")) {
            uvs.uvsadmOk(line.split(" "));
            k.ipvsadm(line.split(" "));
        }
        uvs.uvsadmOk("--sysctl", "net.ipv4.vs.sync_version=0");
        uvs.uvsadmOk("--start-daemon", "master", "--mcast-interface", LabTopology.SYNC_IF, "--syncid", "1");
        for (int i = 0; i < 10; i++) {
            assertThat(lab.httpGet(LabTopology.CLIENT4, "http://" + vip + "/")).as("HTTP through UVS to %s", vip)
                .isNotNull();
        }
        E2eLab.pause(Duration.ofSeconds(2));
        uvs.uvsadmOk("--stop-daemon", "master");
        Set<String> mine = entriesOf(uvsListing(uvs, "-L", "-n", "-c"), vip);
        assertThat(entriesOf(k.ipvsadm("-L", "-n", "-c"), vip)).as("kernel backup's v0 entries of %s", vip)
            .isEqualTo(mine).hasSizeGreaterThanOrEqualTo(11);

        k.vm().runOk("ip addr add " + V0_VIP + "/32 dev lo && echo 0 > /proc/sys/net/ipv4/vs/sync_version");
        k.ipvsadm("--start-daemon", "master", "--mcast-interface", "eth1", "--syncid", "1");
        uvs.uvsadmOk("--start-daemon", "backup", "--mcast-interface", LabTopology.SYNC_IF, "--syncid", "1");
        KernelTier.ip(lab.topo().router(), List.of("route replace " + V0_VIP + "/32 via " + KernelLab.KERNEL4
            + " dev " + LabTopology.BRIDGE));
        for (int i = 0; i < 10; i++) {
            assertThat(lab.httpGet(LabTopology.CLIENT4, "http://" + vip + "/")).as("HTTP through the kernel to %s", vip)
                .isNotNull();
        }
        // the kernel's master thread sends a partly filled message after 2 s (IPVS_SYNC_FLUSH_TIME)
        E2eLab.pause(Duration.ofSeconds(4));
        refuseExtensionsBesideTheKernel(uvs);
        k.ipvsadm("--stop-daemon", "master");
        k.vm().runOk("echo 1 > /proc/sys/net/ipv4/vs/sync_version");
        uvs.uvsadmOk("--stop-daemon", "backup");
        Set<String> kernels = entriesOf(k.ipvsadm("-L", "-n", "-c"), vip);
        assertThat(entriesOf(uvsListing(uvs, "-L", "-n", "-c"), vip)).as("UVS backup's v0 entries of %s", vip)
            .isEqualTo(kernels).hasSizeGreaterThanOrEqualTo(21);
        return kernels.size();
    }

    /**
     * The UVS backup heard the kernel master: UVS refuses to start a reliable or authenticated master, naming
     * the kernel's sync address, and starts one with {@code --sync-mixed-group}.
     */
    private static void refuseExtensionsBesideTheKernel(LabDirector uvs) throws Exception {
        List<String> start = List.of("--start-daemon", "master", "--mcast-interface", LabTopology.SYNC_IF, "--syncid",
            "1", "--sync-reliable");
        ControlProtocol.Reply r = uvs.uvsadm(start.toArray(String[]::new));
        assertThat(r.exitCode()).as("reliable master beside the kernel's: %s", r.stderr()).isNotZero();
        assertThat(r.stderr()).as("refusal").contains("plain sync master " + KernelLab.KERNEL_SYNC4)
            .contains("--sync-mixed-group").hasLineCount(1);
        List<String> mixed = new ArrayList<>(start);
        mixed.add("--sync-mixed-group");
        uvs.uvsadmOk(mixed.toArray(String[]::new));
        uvs.uvsadmOk("--stop-daemon", "master");
        E2eLab.note("UVS refused a reliable master beside the kernel's: " + r.stderr().strip()
            + "; started it with --sync-mixed-group");
    }

    // the entries ("proto state client virtual real") of flows and the templates of their clients; the kernel
    // keeps the closed conns and templates of the first test's IPv6 streams, which this leaves out
    private static Set<String> ofFlows(Set<String> entries, Set<String> flows) {
        Set<String> clients = new TreeSet<>();
        flows.forEach(f -> clients.add(ConnEntry.host(f)));
        Set<String> s = new TreeSet<>();
        for (String e : entries) {
            String source = e.split(" ")[2];
            if (flows.contains(source) || ConnEntry.port(source) == 0 && clients.contains(ConnEntry.host(source))) {
                s.add(e);
            }
        }
        return s;
    }

    /**
     * The kernel master's sync settings, as the field reports use them, seen by a UVS backup: with
     * {@code sync_persist_mode 1} the backup learns the templates of a persistent service and not one of its
     * connections, while a service without persistence syncs as ever; with {@code sync_threshold "3 100"} and
     * {@code sync_refresh_period 10} it learns each stream and each template exactly once within the first
     * seconds (a template is re-sent on every packet without a refresh period), the template in the state it had
     * at its first packet (NONE, where the master's is ASSURED by then). The second VIP and port 9000,
     * so the next test's tables stay as they were.
     */
    @Test
    @Order(2)
    void shouldSyncWhatTheKernelsSyncSettingsSay() throws Exception {
        E2eLab lab = k.lab();
        LabDirector uvs = settingsDirectors(false);
        uvs.uvsadmOk("--start-daemon", "backup", "--mcast-interface", LabTopology.SYNC_IF, "--syncid", "1");
        String vs = "/proc/sys/net/ipv4/vs/";
        try {
            // sync_persist_mode 1: templates only, for persistent services
            k.vm().runOk("echo 1 > " + vs + "sync_persist_mode");
            k.ipvsadm("--start-daemon", "master", "--mcast-interface", "eth1", "--syncid", "1");
            TrafficProcess streams = lab.streams(V0_VIP, SETTINGS_STREAMS, "10.100.0.100", SETTINGS_SOURCES);
            Set<String> httpClients = plainRequests(110, "the kernel");
            E2eLab.pause(Duration.ofSeconds(4));
            String kernel = k.ipvsadm("-L", "-n", "-c");
            String mine = uvsListing(uvs, "-L", "-n", "-c");
            String why = "\n--- kernel:\n" + kernel + "\n--- UVS backup:\n" + mine;
            assertThat(entriesOf(kernel, PERSISTENT)).as("kernel: %d streams and their templates%s",
                SETTINGS_STREAMS, why).hasSize(SETTINGS_STREAMS + SETTINGS_SOURCES);
            assertThat(entriesOf(mine, PERSISTENT)).as("sync_persist_mode 1: the backup has the templates only%s", why)
                .isEqualTo(templatesOnly(entriesOf(kernel, PERSISTENT))).hasSize(SETTINGS_SOURCES);
            assertThat(fromClients(entriesOf(mine, PLAIN), httpClients))
                .as("sync_persist_mode 1: a service without persistence syncs its connections%s", why)
                .isEqualTo(fromClients(entriesOf(kernel, PLAIN), httpClients)).hasSize(httpClients.size());
            streams.close();
            k.ipvsadm("--stop-daemon", "master");

            // sync_threshold "3 100", sync_refresh_period 10: each entry once in the first seconds
            k.vm().runOk("echo 0 > " + vs + "sync_persist_mode && echo '3 100' > " + vs + "sync_threshold && echo 10 > "
                + vs + "sync_refresh_period");
            k.ipvsadm("--start-daemon", "master", "--mcast-interface", "eth1", "--syncid", "1");
            long[] before = backupCounts(uvs);
            streams = lab.streams(V0_VIP, SETTINGS_STREAMS, "10.100.0.120", SETTINGS_SOURCES);
            Set<String> flows = k.lab().clientFlows(LabTopology.STREAM_PORT);
            E2eLab.pause(Duration.ofSeconds(5));
            long[] after = backupCounts(uvs);
            kernel = k.ipvsadm("-L", "-n", "-c");
            mine = uvsListing(uvs, "-L", "-n", "-c");
            why = "\n--- kernel:\n" + kernel + "\n--- UVS backup:\n" + mine + "\n--- sync stats:\n"
                + uvsListing(uvs, "-L", "--sync-stats");
            assertThat(flows).as("streams through the kernel%s", why).hasSize(SETTINGS_STREAMS);
            // a template goes out on the first packet of its first connection, still in state NONE; it turns
            // ASSURED on the master right after, and the refresh period holds that back for 10 s
            Set<String> expected = new TreeSet<>();
            ofFlows(entriesOf(kernel, PERSISTENT), flows).forEach(e -> expected.add(
                ConnEntry.port(e.split(" ")[2]) == 0 ? e.replace(" ASSURED ", " NONE ") : e));
            assertThat(ofFlows(entriesOf(mine, PERSISTENT), flows)).as("sync_refresh_period 10: entries%s", why)
                .isEqualTo(expected).hasSize(SETTINGS_STREAMS + SETTINGS_SOURCES);
            assertThat(new long[] {after[0] - before[0], after[1] - before[1]})
                .as("sync_refresh_period 10: entries created and updated on the backup%s", why)
                .containsExactly(SETTINGS_STREAMS + SETTINGS_SOURCES, 0);
            streams.close();
            E2eLab.note("kernel sync settings -> UVS backup: sync_persist_mode 1: " + SETTINGS_SOURCES + " templates, "
                + "0 of " + SETTINGS_STREAMS + " persistent connections, " + httpClients.size() + " of "
                + httpClients.size() + " plain connections; sync_threshold \"3 100\" + sync_refresh_period 10: "
                + (after[0] - before[0]) + " created, " + (after[1] - before[1]) + " updated in 5 s");
        } finally {
            k.vm().run("ipvsadm --stop-daemon master; echo 0 > " + vs + "sync_persist_mode; echo '3 50' > " + vs
                + "sync_threshold; echo 0 > " + vs + "sync_refresh_period");
            uvs.uvsadm("--stop-daemon", "backup");
        }
    }

    /**
     * Both directors and the kernel with {@link #settingsRules}, the second VIP on the real servers and routed to
     * the kernel or to UVS on d2; returns d2.
     */
    private static LabDirector settingsDirectors(boolean throughUvs) throws IOException, InterruptedException {
        String rules = settingsRules();
        secondVipThroughTheKernel();
        if (throughUvs) {
            KernelTier.ip(k.lab().topo().router(), List.of("route replace " + V0_VIP + "/32 via "
                + LabTopology.director4(2) + " dev " + LabTopology.BRIDGE));
        }
        LabDirector uvs = k.lab().startDirectors(rules, "", List.of(), false).d2();
        k.rules(rules);
        return uvs;
    }

    /** One HTTP request to {@link #PLAIN} from each of 10.100.0.{@code first} to .{@code first + 4}; the sources. */
    private static Set<String> plainRequests(int first, String through) {
        Set<String> sources = new TreeSet<>();
        for (int i = first; i < first + 5; i++) {
            String source = "10.100.0." + i;
            sources.add(source);
            assertThat(k.lab().httpGet(source, "http://" + PLAIN + "/")).as("HTTP through %s to %s", through, PLAIN)
                .isNotNull();
        }
        return sources;
    }

    /** A persistent service (rr, 300 s) and one without persistence, each with the three real servers (DR). */
    private static String settingsRules() {
        StringBuilder rules = new StringBuilder("-A -t " + PERSISTENT + " -s rr -p 300\n-A -t " + PLAIN + " -s rr\n");
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            rules.append("-a -t ").append(PERSISTENT).append(" -r ")
                .append(Rules.realServer(false, i, LabTopology.STREAM_PORT)).append(" -g -w 1\n")
                .append("-a -t ").append(PLAIN).append(" -r ")
                .append(Rules.realServer(false, i, LabTopology.HTTP_PORT)).append(" -g -w 1\n");
        }
        return rules.toString();
    }

    /**
     * UVS's sync settings seen by a kernel backup (UVS master on d2, the second VIP routed to it): with
     * {@code sync_persist_mode 1} the kernel learns the templates of a persistent service and none of its
     * connections, while a service without persistence syncs as ever; with {@code sync_threshold "3 100"} and
     * {@code sync_refresh_period 10} it learns each stream and each template once in the first seconds, the
     * template in the state of its first packet (NONE, where UVS's is ASSURED by then, docs/ipvs-reference.md
     * §2.3), and the template again once the refresh period passed: then ASSURED, re-armed to its full timeout.
     */
    @Test
    @Order(3)
    void shouldSyncWhatUvsSyncSettingsSay() throws Exception {
        E2eLab lab = k.lab();
        LabDirector uvs = settingsDirectors(true);
        k.ipvsadm("--start-daemon", "backup", "--mcast-interface", "eth1", "--syncid", "1");
        List<String> master = List.of("--start-daemon", "master", "--mcast-interface", LabTopology.SYNC_IF,
            "--syncid", "1");
        try {
            // sync_persist_mode 1: templates only, for persistent services
            uvs.uvsadmOk("--sysctl", "net.ipv4.vs.sync_persist_mode=1");
            uvs.uvsadmOk(master.toArray(String[]::new));
            TrafficProcess streams = lab.streams(V0_VIP, SETTINGS_STREAMS, "10.100.0.140", SETTINGS_SOURCES);
            Set<String> httpClients = plainRequests(150, "UVS");
            Set<String> flows = lab.clientFlows(LabTopology.STREAM_PORT);
            E2eLab.pause(Duration.ofSeconds(4));
            String mine = uvsListing(uvs, "-L", "-n", "-c");
            String kernel = k.ipvsadm("-L", "-n", "-c");
            String why = "\n--- UVS master:\n" + mine + "\n--- kernel backup:\n" + kernel;
            assertThat(ofFlows(entriesOf(mine, PERSISTENT), flows)).as("UVS: %d streams and their templates%s",
                SETTINGS_STREAMS, why).hasSize(SETTINGS_STREAMS + SETTINGS_SOURCES);
            assertThat(ofFlows(entriesOf(kernel, PERSISTENT), flows))
                .as("UVS sync_persist_mode 1: the kernel backup has the templates only%s", why)
                .isEqualTo(templatesOnly(ofFlows(entriesOf(mine, PERSISTENT), flows))).hasSize(SETTINGS_SOURCES);
            assertThat(fromClients(entriesOf(kernel, PLAIN), httpClients))
                .as("UVS sync_persist_mode 1: a service without persistence syncs its connections%s", why)
                .isEqualTo(fromClients(entriesOf(mine, PLAIN), httpClients)).hasSize(httpClients.size());
            streams.close();
            uvs.uvsadmOk("--stop-daemon", "master");

            // sync_threshold "3 100", sync_refresh_period 10: each entry once, the templates again after 10 s
            uvs.uvsadmOk("--sysctl", "net.ipv4.vs.sync_persist_mode=0", "net.ipv4.vs.sync_threshold=3 100",
                "net.ipv4.vs.sync_refresh_period=10");
            uvs.uvsadmOk(master.toArray(String[]::new));
            long started = System.nanoTime();
            streams = lab.streams(V0_VIP, SETTINGS_STREAMS, "10.100.0.160", SETTINGS_SOURCES);
            Set<String> refreshed = lab.clientFlows(LabTopology.STREAM_PORT);
            E2eLab.pause(Duration.ofSeconds(4));
            mine = uvsListing(uvs, "-L", "-n", "-c");
            kernel = k.ipvsadm("-L", "-n", "-c");
            why = "\n--- UVS master:\n" + mine + "\n--- kernel backup:\n" + kernel;
            assertThat(refreshed).as("streams through UVS%s", why).hasSize(SETTINGS_STREAMS);
            Set<String> expected = new TreeSet<>();
            ofFlows(entriesOf(mine, PERSISTENT), refreshed).forEach(e -> expected.add(
                ConnEntry.port(e.split(" ")[2]) == 0 ? e.replace(" ASSURED ", " NONE ") : e));
            assertThat(ofFlows(entriesOf(kernel, PERSISTENT), refreshed))
                .as("UVS sync_refresh_period 10: the kernel backup's entries in the first seconds%s", why)
                .isEqualTo(expected).hasSize(SETTINGS_STREAMS + SETTINGS_SOURCES);
            // the first packet after the refresh period re-sends each template, now ASSURED
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Set<String> assured = ofFlows(entriesOf(mine, PERSISTENT), refreshed);
            while (!templatesOnly(ofFlows(entriesOf(kernel, PERSISTENT), refreshed)).equals(templatesOnly(assured))
                && System.nanoTime() < deadline) {
                Thread.sleep(250);
                kernel = k.ipvsadm("-L", "-n", "-c");
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            why = "\n--- UVS master:\n" + uvsListing(uvs, "-L", "-n", "-c") + "\n--- kernel backup:\n" + kernel;
            assertThat(templatesOnly(ofFlows(entriesOf(kernel, PERSISTENT), refreshed)))
                .as("UVS sync_refresh_period 10: templates re-sent ASSURED after the period (%.1f s)%s", seconds, why)
                .isEqualTo(templatesOnly(assured)).hasSize(SETTINGS_SOURCES);
            assertThat(seconds).as("templates re-sent after the refresh period, not before").isGreaterThan(10);
            assertThat(templateExpires(kernel, PERSISTENT, refreshed))
                .as("re-sent templates re-armed on the kernel backup%s", why).hasSize(SETTINGS_SOURCES)
                .allMatch(t -> t >= 300 - 6);
            streams.close();
            E2eLab.note("UVS sync settings -> kernel backup: sync_persist_mode 1: " + SETTINGS_SOURCES + " templates, "
                + "0 of " + SETTINGS_STREAMS + " persistent connections, " + httpClients.size() + " of "
                + httpClients.size() + " plain connections; sync_threshold \"3 100\" + sync_refresh_period 10: "
                + SETTINGS_STREAMS + " streams, " + SETTINGS_SOURCES + " templates NONE at first, re-sent ASSURED "
                + "after "
                + String.format("%.1f", seconds) + " s");
        } finally {
            uvs.uvsadm("--stop-daemon", "master");
            uvs.uvsadm("--sysctl", "net.ipv4.vs.sync_persist_mode=0", "net.ipv4.vs.sync_threshold=3 50",
                "net.ipv4.vs.sync_refresh_period=0");
            k.vm().run("ipvsadm --stop-daemon backup");
        }
    }

    // the expire column (seconds) of the templates of one virtual service for the clients of flows
    private static List<Integer> templateExpires(String listing, String virtual, Set<String> flows) {
        Set<String> clients = new TreeSet<>();
        flows.forEach(f -> clients.add(ConnEntry.host(f)));
        List<Integer> out = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 6 && f[1].matches("\\d+:\\d\\d") && f[4].equals(virtual) && ConnEntry.port(f[3]) == 0
                && clients.contains(ConnEntry.host(f[3]))) {
                out.add(KernelTables.seconds(f[1]));
            }
        }
        return out;
    }

    /** The second VIP on the real servers' and the kernel's loopback, routed to the kernel. */
    private static void secondVipThroughTheKernel() throws IOException {
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            KernelTier.ip(k.lab().topo().realServer(i), List.of("addr replace " + V0_VIP + "/32 dev lo"));
        }
        k.vm().runOk("ip addr show dev lo | grep -q ' " + V0_VIP + "/' || ip addr add " + V0_VIP + "/32 dev lo");
        KernelTier.ip(k.lab().topo().router(), List.of("route replace " + V0_VIP + "/32 via " + KernelLab.KERNEL4
            + " dev " + LabTopology.BRIDGE));
    }

    // the entries the running master sent so far ({@code -L --sync-stats})
    private static long entriesSent(LabDirector uvs) throws IOException {
        String stats = uvs.uvsadmOk("-L", "--sync-stats");
        Matcher m = Pattern.compile("entriesSent=(\\d+)").matcher(stats);
        assertThat(m.find()).as("master counters in %s", stats).isTrue();
        return Long.parseLong(m.group(1));
    }

    // the backup's entries created and updated so far ({@code -L --sync-stats})
    private static long[] backupCounts(LabDirector uvs) throws IOException {
        String stats = uvs.uvsadmOk("-L", "--sync-stats");
        Matcher m = Pattern.compile("created=(\\d+), updated=(\\d+)").matcher(stats);
        assertThat(m.find()).as("backup counters in %s", stats).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static Set<String> templatesOnly(Set<String> entries) {
        Set<String> s = new TreeSet<>();
        entries.stream().filter(e -> ConnEntry.port(e.split(" ")[2]) == 0).forEach(s::add);
        return s;
    }

    private static Set<String> fromClients(Set<String> entries, Set<String> clients) {
        Set<String> s = new TreeSet<>();
        entries.stream().filter(e -> clients.contains(ConnEntry.host(e.split(" ")[2]))).forEach(s::add);
        return s;
    }

    @Test
    @Order(4)
    void shouldCarryStreamsFromUvsToTheKernelAndBack() throws Exception {
        E2eLab lab = k.lab();
        String rules = new Rules().service(false, LabTopology.HTTP_PORT, "wlc", 300, "-g")
            .service(false, LabTopology.STREAM_PORT, "wlc", 300, "-g")
            .service(true, LabTopology.STREAM_PORT, "wlc", 300, "-g").toString();
        LabDirector uvs = lab.startDirectors(rules, "", List.of(), false).d2();
        uvs.uvsadmOk("--start-daemon", "master", "--mcast-interface", LabTopology.SYNC_IF, "--syncid", "1");
        k.rules(rules);
        k.ipvsadm("--start-daemon", "backup", "--mcast-interface", "eth1", "--syncid", "1");

        // UVS master -> kernel backup
        TrafficProcess streams = lab.streams(false, STREAMS, LabTopology.CLIENT_SOURCE_COUNT);
        TrafficProcess clients = lab.traffic(List.of("persistent", "--vip", LabTopology.VIP4,
            "--sources", LabTopology.CLIENT_SOURCES4, "--rounds", "1"));
        PersistenceSummary first = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        StreamSummary before = E2eLab.report(streams);
        assertThat(before.alive()).as("streams up through UVS%s", k.diagnostics()).isEqualTo(STREAMS);
        assertThat(first.answered()).as("persistent clients answered%s", k.diagnostics())
            .isEqualTo(LabTopology.CLIENT_SOURCE_COUNT);
        Set<String> flows = lab.clientFlows(LabTopology.STREAM_PORT);
        awaitSynced(() -> kernelEntries(flows).size(), flows.size());
        assertSameTables("UVS master -> kernel backup", LabTopology.STREAM_PORT, uvsListing(uvs, "-L", "-n", "-c"),
            k.ipvsadm("-L", "-n", "-c"), flows, uvsListing(uvs, "-L", "-n"), k.ipvsadm("-L", "-n"),
            uvsListing(uvs, "-L", "-n", "--persistent-conn"), k.ipvsadm("-L", "-n", "--persistent-conn"));
        TrafficProcess uvsStreams6 = ipv6Synced("UVS master -> kernel backup", "fd00:100::150", uvs::uvsadmOk,
            KernelSyncTest::kernelListing);

        StreamSummary beforeUvsDies6 = E2eLab.report(uvsStreams6);
        uvs.kill();
        k.routeToKernel();
        E2eLab.pause(Duration.ofSeconds(3));
        StreamSummary onKernel = E2eLab.report(streams);
        StreamSummary onKernel6 = E2eLab.report(uvsStreams6);
        clients.send(TrafficMain.ROUND);
        PersistenceSummary second = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        E2eLab.note("UVS -> kernel failover: " + onKernel + "; " + second + "; IPv6: " + onKernel6);
        assertFailover("UVS -> kernel", before, onKernel, second, () -> k.diagnostics() + lab(streams, clients));
        assertIpv6Carried("UVS -> kernel", beforeUvsDies6, onKernel6, uvsStreams6);
        uvsStreams6.close();

        // kernel master -> UVS backup (a fresh uvsd on d2)
        uvs.start(rules, "", LabTopology.ETH, List.of());
        uvs.uvsadmOk("--start-daemon", "backup", "--mcast-interface", LabTopology.SYNC_IF, "--syncid", "1");
        k.ipvsadm("--start-daemon", "master", "--mcast-interface", "eth1", "--syncid", "1");
        // the kernel syncs a template only together with a conn it controls, and conns a kernel learned by sync
        // have no controlling template: the stream templates stay unsynced (docs/interop.md); a round of
        // persistent clients through the kernel master makes new conns under the HTTP templates, which sync
        long syncStart = System.nanoTime();
        clients.send(TrafficMain.ROUND);
        PersistenceSummary throughKernelMaster = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        assertThat(throughKernelMaster.kept()).as("persistent clients through the kernel master%s", k.diagnostics())
            .isEqualTo(LabTopology.CLIENT_SOURCE_COUNT);
        awaitSynced(() -> E2eLab.entriesOf(uvs, LabTopology.STREAM_PORT, flows).size(), flows.size());
        awaitSynced(() -> templates(listingOr(uvs), LabTopology.HTTP_PORT).size(), LabTopology.CLIENT_SOURCE_COUNT);
        E2eLab.note("kernel master -> UVS backup: streams and templates synced in "
            + (System.nanoTime() - syncStart) / 1_000_000 + " ms after the kernel's master started");
        assertSameTables("kernel master -> UVS backup", LabTopology.HTTP_PORT, k.ipvsadm("-L", "-n", "-c"),
            uvsListing(uvs, "-L", "-n", "-c"), flows, k.ipvsadm("-L", "-n"), uvsListing(uvs, "-L", "-n"),
            k.ipvsadm("-L", "-n", "--persistent-conn"), uvsListing(uvs, "-L", "-n", "--persistent-conn"));
        KernelTables.assertLearnedTemplatesNotSent("kernel master -> UVS backup", k.ipvsadm("-L", "-n", "-c"),
            uvsListing(uvs, "-L", "-n", "-c"));
        TrafficProcess streams6 = ipv6Synced("kernel master -> UVS backup", LabTopology.CLIENT_SOURCES6,
            KernelSyncTest::kernelListing, uvs::uvsadmOk);

        StreamSummary beforeKill = E2eLab.report(streams);
        StreamSummary beforeKill6 = E2eLab.report(streams6);
        k.vm().kill();
        lab.lab().routeMode(RouteMode.D2);
        E2eLab.pause(Duration.ofSeconds(3));
        StreamSummary onUvs = E2eLab.report(streams);
        StreamSummary onUvs6 = E2eLab.report(streams6);
        clients.send(TrafficMain.ROUND);
        PersistenceSummary fourth = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        E2eLab.note("kernel -> UVS failover: " + onUvs + "; " + fourth + "; IPv6: " + onUvs6);
        assertFailover("kernel -> UVS", beforeKill, onUvs, fourth, () -> k.diagnostics() + lab(streams, clients));
        assertIpv6Carried("kernel -> UVS", beforeKill6, onUvs6, streams6);
        streams6.close();
    }

    /** The IPv6 streams survived a take-over: at least 99 % alive, none reset, answered since. */
    private static void assertIpv6Carried(String what, StreamSummary before, StreamSummary after, TrafficProcess p) {
        String why6 = "\nIPv6 before " + before + "\nafter " + after + k.diagnostics() + lab(p);
        assertThat(after.alive()).as("IPv6 streams alive after %s failover (>= 99 %%)%s", what, why6)
            .isGreaterThanOrEqualTo(STREAMS6 * 99 / 100);
        assertThat(after.reset()).as("IPv6 streams reset after %s failover%s", what, why6).isZero();
        assertThat(after.replies()).as("IPv6 streams answered after the %s failover%s", what, why6)
            .isGreaterThan(before.replies() + STREAMS6);
    }

    /** A director's {@code -L -n -c}. */
    private interface Listing {
        String connections(String... args) throws IOException;
    }

    /**
     * {@value #STREAMS6} IPv6 streams from {@value #SOURCES6} client addresses from {@code firstSource} on through
     * the master (DR, wlc, persistence 300 s): the backup's entries and templates of the IPv6 service must equal
     * the master's.
     */
    private static TrafficProcess ipv6Synced(String what, String firstSource, Listing master, Listing backup)
        throws Exception {
        String vip6 = "[" + LabTopology.VIP6 + "]:" + LabTopology.STREAM_PORT;
        TrafficProcess streams6 = k.lab().streams(LabTopology.VIP6, STREAMS6, firstSource, SOURCES6);
        Set<String> flows6 = k.lab().clientFlows(LabTopology.STREAM_PORT).stream().filter(f -> f.startsWith("["))
            .collect(Collectors.toCollection(TreeSet::new));
        assertThat(flows6).as("%s: IPv6 streams%s", what, k.diagnostics()).hasSize(STREAMS6);
        awaitSynced(() -> ofFlows(entriesOf(orEmpty(backup), vip6), flows6).size(), STREAMS6 + SOURCES6);
        String masters = master.connections("-L", "-n", "-c");
        Set<String> synced = ofFlows(entriesOf(backup.connections("-L", "-n", "-c"), vip6), flows6);
        assertThat(synced).as("%s: IPv6 entries and templates of %s%s", what, vip6,
            "\n--- master:\n" + head(masters)).isEqualTo(ofFlows(entriesOf(masters, vip6), flows6))
            .hasSize(STREAMS6 + SOURCES6);
        E2eLab.note(what + ", IPv6: " + STREAMS6 + " stream entries and " + SOURCES6 + " templates equal");
        return streams6;
    }

    private static String orEmpty(Listing l) {
        try {
            return l.connections("-L", "-n", "-c");
        } catch (IOException e) {
            return "";
        }
    }

    private static String kernelListing(String... args) throws IOException {
        return k.ipvsadm(args);
    }

    private static String lab(TrafficProcess... p) {
        return k.lab().diagnostics(p);
    }

    private static Set<String> kernelEntries(Set<String> flows) {
        try {
            return streamEntries(k.ipvsadm("-L", "-n", "-c"), flows);
        } catch (IOException e) {
            return Set.of();
        }
    }

    private static String listingOr(LabDirector d) {
        try {
            return d.uvsadmOk("-L", "-n", "-c");
        } catch (IOException e) {
            return "";
        }
    }

    private static String uvsListing(LabDirector d, String... args) throws IOException {
        return d.uvsadmOk(args);
    }
}
