package uvs.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
    private static final int STREAMS = 200;
    /** IPv6 streams through the kernel master, from this many client addresses (one template each). */
    private static final int STREAMS6 = 50;
    private static final int SOURCES6 = 10;
    /** Streams of the sync settings test, from this many client addresses (one template each). */
    private static final int SETTINGS_STREAMS = 20;
    private static final int SETTINGS_SOURCES = 10;
    /** A second VIP for the sync v0 check, served by its own service. */
    private static final String V0_VIP = "10.100.2.101";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration SYNCED = Duration.ofSeconds(30);
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
     * A kernel backup with syncid 1 ignores a UVS master's datagrams of syncid 2 and those of UVS's reliable
     * mode (their trailer makes the IPVS size field disagree with the datagram's length, so the kernel drops the
     * whole datagram), and applies plain ones of syncid 1. IPv6 streams, so the IPv4 tables of the next test
     * stay as they were.
     */
    @Test
    @Order(1)
    void shouldIgnoreOtherSyncidsAndUvsExtensions() throws Exception {
        E2eLab lab = k.lab();
        String rules = new Rules().service(true, LabTopology.STREAM_PORT, "wlc", 300, "-g").toString();
        LabDirector uvs = lab.startDirectors(rules, "", List.of(), false).d2();
        k.rules(rules);
        k.ipvsadm("--start-daemon", "backup", "--mcast-interface", "eth1", "--syncid", "1");
        List<List<String>> masters = List.of(List.of("--syncid", "2"), List.of("--syncid", "1", "--sync-reliable"),
            List.of("--syncid", "1"));
        int[] learned = new int[masters.size()];
        for (int i = 0; i < masters.size(); i++) {
            List<String> start = new java.util.ArrayList<>(List.of("--start-daemon", "master", "--mcast-interface",
                LabTopology.SYNC_IF));
            start.addAll(masters.get(i));
            uvs.uvsadmOk(start.toArray(String[]::new));
            TrafficProcess streams = lab.streams(true, 20, 20);
            E2eLab.pause(Duration.ofSeconds(2));
            Set<String> flows = lab.clientFlows(LabTopology.STREAM_PORT);
            learned[i] = kernelEntries(flows).size();
            assertThat(flows).as("streams of master %s%s", masters.get(i), k.diagnostics()).hasSize(20);
            streams.close();
            uvs.uvsadmOk("--stop-daemon", "master");
        }
        int v0 = syncVersion0(uvs);
        k.ipvsadm("--stop-daemon", "backup");
        E2eLab.note("sync_version 0 both ways: " + v0 + " HTTP entries and templates equal on master and backup");
        E2eLab.note("kernel backup (syncid 1) learned from UVS masters (IPv6 streams) " + masters + ": " + learned[0] + ", "
            + learned[1] + ", " + learned[2] + " of 20 stream entries");
        assertThat(k.vm().alive()).as("kernel VM alive").isTrue();
        assertThat(learned).as("stream entries the kernel learned from UVS masters %s%s", masters, k.diagnostics())
            .containsExactly(0, 0, 20);
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
        uvs.daemon.ControlProtocol.Reply r = uvs.uvsadm(start.toArray(String[]::new));
        assertThat(r.exitCode()).as("reliable master beside the kernel's: %s", r.stderr()).isNotZero();
        assertThat(r.stderr()).as("refusal").contains("plain sync master " + KernelLab.KERNEL_SYNC4)
            .contains("--sync-mixed-group").hasLineCount(1);
        List<String> mixed = new java.util.ArrayList<>(start);
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

    // every entry and template of one virtual service, without its timer
    private static Set<String> entriesOf(String listing, String virtual) {
        Set<String> s = new TreeSet<>();
        for (ConnEntry c : ConnEntry.parse(listing)) {
            if (c.virtual().equals(virtual)) {
                s.add(c.protocol() + " " + c.state() + " " + c.source() + " " + c.virtual() + " " + c.destination());
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
        String persistent = V0_VIP + ":" + LabTopology.STREAM_PORT;
        String plain = V0_VIP + ":" + LabTopology.HTTP_PORT;
        StringBuilder rules = new StringBuilder("-A -t " + persistent + " -s rr -p 300\n-A -t " + plain + " -s rr\n");
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            rules.append("-a -t ").append(persistent).append(" -r ")
                .append(Rules.realServer(false, i, LabTopology.STREAM_PORT)).append(" -g -w 1\n")
                .append("-a -t ").append(plain).append(" -r ")
                .append(Rules.realServer(false, i, LabTopology.HTTP_PORT)).append(" -g -w 1\n");
        }
        secondVipThroughTheKernel();
        LabDirector uvs = lab.startDirectors(rules.toString(), "", List.of(), false).d2();
        k.rules(rules.toString());
        uvs.uvsadmOk("--start-daemon", "backup", "--mcast-interface", LabTopology.SYNC_IF, "--syncid", "1");
        String vs = "/proc/sys/net/ipv4/vs/";
        try {
            // sync_persist_mode 1: templates only, for persistent services
            k.vm().runOk("echo 1 > " + vs + "sync_persist_mode");
            k.ipvsadm("--start-daemon", "master", "--mcast-interface", "eth1", "--syncid", "1");
            TrafficProcess streams = lab.streams(V0_VIP, SETTINGS_STREAMS, "10.100.0.100", SETTINGS_SOURCES);
            Set<String> httpClients = new TreeSet<>();
            for (int i = 110; i < 115; i++) {
                String source = "10.100.0." + i;
                httpClients.add(source);
                assertThat(lab.httpGet(source, "http://" + plain + "/")).as("HTTP through the kernel to %s", plain)
                    .isNotNull();
            }
            E2eLab.pause(Duration.ofSeconds(4));
            String kernel = k.ipvsadm("-L", "-n", "-c");
            String mine = uvsListing(uvs, "-L", "-n", "-c");
            String why = "\n--- kernel:\n" + kernel + "\n--- UVS backup:\n" + mine;
            assertThat(entriesOf(kernel, persistent)).as("kernel: %d streams and their templates%s",
                SETTINGS_STREAMS, why).hasSize(SETTINGS_STREAMS + SETTINGS_SOURCES);
            assertThat(entriesOf(mine, persistent)).as("sync_persist_mode 1: the backup has the templates only%s", why)
                .isEqualTo(templatesOnly(entriesOf(kernel, persistent))).hasSize(SETTINGS_SOURCES);
            assertThat(fromClients(entriesOf(mine, plain), httpClients))
                .as("sync_persist_mode 1: a service without persistence syncs its connections%s", why)
                .isEqualTo(fromClients(entriesOf(kernel, plain), httpClients)).hasSize(httpClients.size());
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
            ofFlows(entriesOf(kernel, persistent), flows).forEach(e -> expected.add(
                ConnEntry.port(e.split(" ")[2]) == 0 ? e.replace(" ASSURED ", " NONE ") : e));
            assertThat(ofFlows(entriesOf(mine, persistent), flows)).as("sync_refresh_period 10: entries%s", why)
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

    /** The second VIP on the real servers' and the kernel's loopback, routed to the kernel. */
    private static void secondVipThroughTheKernel() throws IOException {
        for (int i = 1; i <= LabTopology.REAL_SERVERS; i++) {
            KernelTier.ip(k.lab().topo().realServer(i), List.of("addr replace " + V0_VIP + "/32 dev lo"));
        }
        k.vm().runOk("ip addr show dev lo | grep -q ' " + V0_VIP + "/' || ip addr add " + V0_VIP + "/32 dev lo");
        KernelTier.ip(k.lab().topo().router(), List.of("route replace " + V0_VIP + "/32 via " + KernelLab.KERNEL4
            + " dev " + LabTopology.BRIDGE));
    }

    // the backup's entries created and updated so far ({@code -L --sync-stats})
    private static long[] backupCounts(LabDirector uvs) throws IOException {
        String stats = uvs.uvsadmOk("-L", "--sync-stats");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("created=(\\d+), updated=(\\d+)").matcher(stats);
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
    @Order(3)
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
        assertSameTables("UVS master -> kernel backup", LabTopology.STREAM_PORT, uvsListing(uvs, "-L", "-n", "-c"), k.ipvsadm("-L", "-n", "-c"),
            flows, uvsListing(uvs, "-L", "-n"), k.ipvsadm("-L", "-n"), uvsListing(uvs, "-L", "-n", "--persistent-conn"),
            k.ipvsadm("-L", "-n", "--persistent-conn"));

        uvs.kill();
        k.routeToKernel();
        E2eLab.pause(Duration.ofSeconds(3));
        StreamSummary onKernel = E2eLab.report(streams);
        clients.send(TrafficMain.ROUND);
        PersistenceSummary second = PersistenceSummary.parse(clients.await(TrafficMain.ROUND, WAIT));
        E2eLab.note("UVS -> kernel failover: " + onKernel + "; " + second);
        assertFailover("UVS -> kernel", before, onKernel, second, streams, clients);

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
        assertSameTables("kernel master -> UVS backup", LabTopology.HTTP_PORT, k.ipvsadm("-L", "-n", "-c"), uvsListing(uvs, "-L", "-n", "-c"),
            flows, k.ipvsadm("-L", "-n"), uvsListing(uvs, "-L", "-n"), k.ipvsadm("-L", "-n", "--persistent-conn"),
            uvsListing(uvs, "-L", "-n", "--persistent-conn"));
        TrafficProcess streams6 = ipv6ThroughTheKernel(uvs);

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
        assertFailover("kernel -> UVS", beforeKill, onUvs, fourth, streams, clients);
        String why6 = "\nIPv6 before " + beforeKill6 + "\nafter " + onUvs6 + k.diagnostics() + lab(streams6);
        assertThat(onUvs6.alive()).as("IPv6 streams alive after kernel -> UVS failover (>= 99 %%)%s", why6)
            .isGreaterThanOrEqualTo(STREAMS6 * 99 / 100);
        assertThat(onUvs6.reset()).as("IPv6 streams reset%s", why6).isZero();
        assertThat(onUvs6.replies()).as("IPv6 streams answered after the failover%s", why6)
            .isGreaterThan(beforeKill6.replies() + STREAMS6);
        streams6.close();
    }

    /**
     * {@value #STREAMS6} IPv6 streams from {@value #SOURCES6} client addresses through the kernel master (DR, wlc,
     * persistence 300 s): the UVS backup's entries and templates of the IPv6 service must equal the kernel's.
     */
    private static TrafficProcess ipv6ThroughTheKernel(LabDirector uvs) throws Exception {
        String vip6 = "[" + LabTopology.VIP6 + "]:" + LabTopology.STREAM_PORT;
        TrafficProcess streams6 = k.lab().streams(true, STREAMS6, SOURCES6);
        Set<String> flows6 = k.lab().clientFlows(LabTopology.STREAM_PORT).stream().filter(f -> f.startsWith("["))
            .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        assertThat(flows6).as("IPv6 streams through the kernel%s", k.diagnostics()).hasSize(STREAMS6);
        awaitSynced(() -> ofFlows(entriesOf(listingOr(uvs), vip6), flows6).size(), STREAMS6 + SOURCES6);
        String kernel = k.ipvsadm("-L", "-n", "-c");
        Set<String> synced = ofFlows(entriesOf(listingOr(uvs), vip6), flows6);
        assertThat(synced).as("kernel master -> UVS backup: IPv6 entries and templates of %s%s", vip6,
            "\n--- kernel:\n" + head(kernel)).isEqualTo(ofFlows(entriesOf(kernel, vip6), flows6))
            .hasSize(STREAMS6 + SOURCES6);
        E2eLab.note("kernel master -> UVS backup, IPv6: " + STREAMS6 + " stream entries and " + SOURCES6
            + " templates equal");
        return streams6;
    }

    private void assertFailover(String what, StreamSummary before, StreamSummary after, PersistenceSummary round,
        TrafficProcess streams, TrafficProcess clients) {
        String why = "\n" + what + ": before " + before + "\nafter " + after + "\nround " + round
            + k.diagnostics() + lab(streams, clients);
        assertThat(after.alive()).as("streams alive after %s failover (>= 99 %%)%s", what, why)
            .isGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(after.reset()).as("streams reset%s", why).isZero();
        assertThat(after.replies()).as("streams answered after %s failover%s", what, why)
            .isGreaterThan(before.replies() + STREAMS);
        assertThat(round.kept()).as("persistent clients kept their server (>= 99 %%)%s", why)
            .isGreaterThanOrEqualTo(LabTopology.CLIENT_SOURCE_COUNT * 99 / 100);
    }

    private static String lab(TrafficProcess... p) {
        return k.lab().diagnostics(p);
    }

    /**
     * The backup's table equals the master's for the streams: the same entries (protocol, state, client, virtual
     * and real server) of the running flows, the same persistence templates of {@code templatePort}, and the same
     * counters per real server of the stream service.
     */
    private static void assertSameTables(String what, int templatePort, String masterConns, String backupConns,
        Set<String> flows,
        String masterList, String backupList, String masterPersist, String backupPersist) {
        String why = "\n--- master -L -n -c (" + what + "):\n" + head(masterConns) + "\n--- backup:\n"
            + head(backupConns) + "\n--- master -L -n:\n" + masterList + "--- backup -L -n:\n" + backupList;
        assertThat(streamEntries(backupConns, flows)).as("%s: stream entries%s", what, why)
            .isEqualTo(streamEntries(masterConns, flows)).hasSizeGreaterThanOrEqualTo(STREAMS * 99 / 100);
        assertThat(templates(backupConns, templatePort)).as("%s: templates of port %d%s", what, templatePort, why)
            .isEqualTo(templates(masterConns, templatePort)).hasSize(LabTopology.CLIENT_SOURCE_COUNT);
        assertThat(counters(backupList, LabTopology.STREAM_PORT))
            .as("%s: ActiveConn and InActConn per real server%s", what, why).isEqualTo(counters(masterList, LabTopology.STREAM_PORT));
        // PersistConn only: a backup started late misses the InActConn of conns closed before it listened
        assertThat(persistConn(backupPersist, templatePort))
            .as("%s: PersistConn per real server of port %d%s", what, templatePort, why)
            .isEqualTo(persistConn(masterPersist, templatePort));
        // a backup arms an entry for the timeout in the message (the full state timeout) when it arrives, and the
        // master re-sends established conns every sync_period (50) packets (10 s of a stream) and templates
        // with them: the backup's timers lie within a few sync intervals below the full timeouts
        List<Integer> connTimers = expires(backupConns, flows, LabTopology.STREAM_PORT, true);
        List<Integer> templateTimers = expires(backupConns, flows, templatePort, false);
        assertThat(connTimers).as("%s: backup timers of the stream entries (s)%s", what, why)
            .hasSizeGreaterThanOrEqualTo(STREAMS * 99 / 100).allMatch(t -> t >= 900 - 60 && t <= 900);
        assertThat(templateTimers).as("%s: backup timers of the templates (s)%s", what, why)
            .hasSize(LabTopology.CLIENT_SOURCE_COUNT).allMatch(t -> t >= 300 - 60 && t <= 300);
        E2eLab.note(what + ": " + streamEntries(backupConns, flows).size() + " stream entries, "
            + templates(backupConns, templatePort).size() + " templates of port " + templatePort + ", counters "
            + counters(backupList, LabTopology.STREAM_PORT) + ", PersistConn " + persistConn(backupPersist, templatePort)
            + " equal; backup timers " + java.util.Collections.min(connTimers) + ".." + java.util.Collections.max(connTimers)
            + " s (entries), " + java.util.Collections.min(templateTimers) + ".." + java.util.Collections.max(templateTimers)
            + " s (templates)");
    }

    private static Set<String> streamEntries(String listing, Set<String> flows) {
        Set<String> s = new TreeSet<>();
        for (ConnEntry c : ConnEntry.parse(listing)) {
            if (c.isConnection() && flows.contains(c.source())) {
                s.add(c.protocol() + " " + c.state() + " " + c.source() + " " + c.virtual() + " " + c.destination());
            }
        }
        return s;
    }

    // the expire column (seconds) of the stream entries of flows, or of the templates of port
    private static List<Integer> expires(String listing, Set<String> flows, int port, boolean connections) {
        List<Integer> out = new java.util.ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 6 || !f[1].matches("\\d+:\\d\\d")) {
                continue;
            }
            boolean template = ConnEntry.port(f[3]) == 0;
            boolean wanted = connections ? !template && flows.contains(f[3])
                : template && f[4].equals(LabTopology.VIP4 + ":" + port);
            if (wanted) {
                String[] mmss = f[1].split(":");
                out.add(Integer.parseInt(mmss[0]) * 60 + Integer.parseInt(mmss[1]));
            }
        }
        return out;
    }

    private static Set<String> templates(String listing, int port) {
        Set<String> s = new TreeSet<>();
        for (ConnEntry c : ConnEntry.parse(listing)) {
            if (!c.isConnection() && c.virtual().equals(LabTopology.VIP4 + ":" + port)) {
                s.add(c.protocol() + " " + c.state() + " " + c.source() + " " + c.virtual() + " " + c.destination());
            }
        }
        return s;
    }

    // PersistConn by real server of the service on port ({@code -L -n --persistent-conn}: weight, PersistConn, ...)
    private static Map<String, String> persistConn(String listing, int port) {
        Map<String, String> m = new TreeMap<>();
        counters(listing, port).forEach((rs, columns) -> m.put(rs, columns.split(" ")[1]));
        return m;
    }

    // the real-server lines (forward, weight and every counter column) of the service on {@code port}
    private static Map<String, String> counters(String listing, int port) {
        Map<String, String> m = new TreeMap<>();
        boolean inStream = false;
        for (String line : listing.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (!line.startsWith(" ")) {
                inStream = f.length > 1 && f[1].equals(LabTopology.VIP4 + ":" + port);
            } else if (inStream && f[0].equals("->") && !f[1].equals("RemoteAddress:Port")) {
                m.put(f[1], String.join(" ", List.of(f).subList(2, f.length)));
            }
        }
        return m;
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

    private static void awaitSynced(java.util.function.IntSupplier synced, int want) throws InterruptedException {
        long deadline = System.nanoTime() + SYNCED.toNanos();
        while (synced.getAsInt() < want && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
    }

    private static String head(String listing) {
        List<String> lines = listing.lines().toList();
        return String.join("\n", lines.subList(0, Math.min(12, lines.size())));
    }
}
