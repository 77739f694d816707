package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.Decision;
import uvs.core.EngineConfig;
import uvs.core.PacketHeader;
import uvs.core.net.IpProto;
import uvs.time.ManualClock;

/** uvsd end to end through its control socket, as uvsadm uses it. */
class UvsdTest {
    private static final String RULES = """
        -A -t 10.1.1.1:80 -s rr
        -a -t 10.1.1.1:80 -r 10.2.2.1:80 -g -w 1
        -a -t 10.1.1.1:80 -r 10.2.2.2:80 -m -w 2
        """;

    @TempDir
    Path dir;
    private Uvsd uvsd;

    private Uvsd start(String rules, String sysctl) throws IOException {
        Path r = dir.resolve("rules");
        Files.writeString(r, rules);
        Path s = dir.resolve("sysctl.conf");
        Files.writeString(s, sysctl);
        uvsd = new Uvsd(UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
            dir.resolve("control.sock")).withRules(r).withSysctl(s));
        return uvsd;
    }

    @AfterEach
    void stop() throws IOException {
        if (uvsd != null) {
            uvsd.close();
        }
    }

    private ControlProtocol.Reply uvsadm(String... args) throws IOException {
        return UvsadmClient.send(uvsd.socket(), List.of(args), new byte[0]);
    }

    @Test
    void shouldListRulesExactlyAsIpvsadm() throws IOException {
        start(RULES, "net.ipv4.vs.expire_nodest_conn = 1\n");
        ControlProtocol.Reply r = uvsadm("-L", "-n");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo(String.join("\n",
            "IP Virtual Server version 1.2.1 (size=4096)",
            "Prot LocalAddress:Port Scheduler Flags",
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
            "TCP  10.1.1.1:80 rr",
            "  -> 10.2.2.1:80                  Route   1      0          0         ",
            "  -> 10.2.2.2:80                  Masq    2      0          0         ",
            ""));
        assertThat(uvsadm("-L", "--timeout").stdout()).isEqualTo("Timeout (tcp tcpfin udp): 900 120 300\n");
    }

    @Test
    void shouldApplyChangesAndReportErrorsInIpvsadmWords() throws IOException {
        start(RULES, "");
        ControlProtocol.Reply dup = uvsadm("-A", "-t", "10.1.1.1:80", "-s", "wlc");
        assertThat(dup.exitCode()).isEqualTo(IpvsadmHandler.EXIT_KERNEL_ERROR);
        assertThat(dup.stderr()).isEqualTo("Service already exists\n");
        assertThat(uvsadm("-a", "-t", "10.1.1.1:80", "-r", "10.2.2.3", "-w", "5").exitCode()).isZero();
        assertThat(uvsadm("-S", "-n").stdout()).contains("-a -t 10.1.1.1:80 -r 10.2.2.3:80 -g -w 5\n");
        ControlProtocol.Reply bad = uvsadm("-A", "-t", "10.1.1.9:80", "-s", "rr", "-w", "3");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).isNotEmpty();
    }

    @Test
    void shouldRestoreFromStandardInputAllOrNothing() throws IOException {
        start("", "");
        byte[] good = "-A -u 10.1.1.1:53 -s rr\n-a -u 10.1.1.1:53 -r 10.2.2.1:53 -m -w 1\n"
            .getBytes(StandardCharsets.UTF_8);
        assertThat(UvsadmClient.send(uvsd.socket(), List.of("-R"), good).exitCode()).isZero();
        byte[] bad = "-A -u 10.1.1.2:53 -s rr\n-a -u 10.9.9.9:53 -r 10.2.2.1:53 -m -w 1\n"
            .getBytes(StandardCharsets.UTF_8);
        ControlProtocol.Reply r = UvsadmClient.send(uvsd.socket(), List.of("-R"), bad);
        assertThat(r.exitCode()).isNotZero();
        assertThat(uvsadm("-S", "-n").stdout()).doesNotContain("10.1.1.2");
    }

    @Test
    void shouldReloadWithoutDroppingConnections() throws Exception {
        start(RULES, "");
        Decision d = uvsd.agent().call(e -> {
            PacketHeader p = new PacketHeader().ipv4(IpProto.TCP, 0x0a00_0001, 1000, 0x0a01_0101, 80);
            p.tcpFlags = PacketHeader.TCP_SYN;
            return e.process(p, new Decision());
        }, 5);
        int conn = d.conn;
        Files.writeString(dir.resolve("rules"), RULES.replace("-w 2", "-w 7") + "-A -t 10.1.1.1:443 -s wlc\n");
        uvsd.reload();
        String list = uvsadm("-L", "-n").stdout();
        assertThat(list).contains("Masq    7").contains("10.1.1.1:443 wlc");
        boolean live = uvsd.agent().call(e -> e.conns4().isLive(conn), 5);
        assertThat(live).isTrue();
        // a bad file changes nothing
        Files.writeString(dir.resolve("rules"), "-A -t 10.1.1.1:80 -s nosuch\n");
        uvsd.reload();
        assertThat(uvsadm("-L", "-n").stdout()).isEqualTo(list);
    }

    @Test
    void shouldKeepProcfsViewsAndServeMetrics() throws Exception {
        Path r = dir.resolve("rules");
        Files.writeString(r, RULES);
        Path proc = dir.resolve("proc/net");
        uvsd = new Uvsd(UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
            dir.resolve("control.sock")).withRules(r).withMonitoring("127.0.0.1", 0, proc));
        for (int i = 0; i < 50 && !Files.exists(proc.resolve("ip_vs_conn_sync")); i++) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(proc.resolve("ip_vs"))).startsWith("IP Virtual Server version 1.2.1 (size=4096)\n")
            .contains("TCP  0A010101:0050 rr  \n");
        assertThat(Files.readString(proc.resolve("ip_vs_conn"))).startsWith("Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires");
        HttpResponse<String> m = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uvsd.metricsPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(m.body()).contains("uvs_real_server_weight{server=\"10.2.2.2:80\",service=\"TCP 10.1.1.1:80\"} 2.0");
    }

    @Test
    void shouldLetOnlyTheMonitoringGroupReadTheProcfsViews() throws Exception {
        // a group this process belongs to: uvsd needs no CAP_CHOWN for it
        String group = Files.readAttributes(dir, PosixFileAttributes.class).group().getName();
        Files.writeString(dir.resolve("rules"), RULES);
        Path proc = dir.resolve("proc/net");
        uvsd = new Uvsd(UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
            dir.resolve("control.sock")).withRules(dir.resolve("rules")).withMonitoring("127.0.0.1", -1, proc)
            .withProcGroup(group));
        for (int i = 0; i < 50 && !Files.exists(proc.resolve("ip_vs_conn_sync")); i++) {
            Thread.sleep(100);
        }
        PosixFileAttributes d =
            Files.readAttributes(proc, PosixFileAttributes.class);
        PosixFileAttributes f =
            Files.readAttributes(proc.resolve("ip_vs"), PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(d.permissions())).isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(f.permissions())).isEqualTo("rw-r-----");
        assertThat(d.group().getName()).isEqualTo(group);
        assertThat(f.group().getName()).isEqualTo(group);
    }

    @Test
    void shouldRefuseAMonitoringGroupThatDoesNotExist() {
        assertThatThrownBy(() -> new Uvsd(UvsdConfig.minimal(new ManualClock(),
                EngineConfig.defaults().withCapacity(1024, 64), dir.resolve("control.sock"))
            .withMonitoring("127.0.0.1", -1, dir.resolve("proc/net")).withProcGroup("no-such-group-uvs")))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("--proc-group no-such-group-uvs: no such group");
        assertThat(dir.resolve("control.sock")).doesNotExist();
    }

    @Test
    void shouldReadAndSetTunablesWithTheSameValidationAsTheFile() throws IOException {
        start(RULES, "net.ipv4.vs.sync_threshold = 3 100\n");
        assertThat(uvsadm("--sysctl", "sync_threshold").stdout()).isEqualTo("net.ipv4.vs.sync_threshold = 3\t100\n");
        assertThat(uvsadm("--sysctl", "net.ipv4.vs.expire_nodest_conn=1").stdout())
            .isEqualTo("net.ipv4.vs.expire_nodest_conn = 1\n");
        ControlProtocol.Reply bad = uvsadm("--sysctl", "sync_retries=7");
        assertThat(bad.exitCode()).isEqualTo(IpvsadmHandler.EXIT_KERNEL_ERROR);
        assertThat(bad.stderr()).contains("sync_retries").contains("0..3");
        assertThat(uvsadm("--sysctl", "sync_retries").stdout()).isEqualTo("net.ipv4.vs.sync_retries = 0\n");
        assertThat(uvsadm("--sysctl", "no_such_thing").exitCode()).isEqualTo(IpvsadmHandler.EXIT_KERNEL_ERROR);
        assertThat(uvsadm("--sysctl").stdout()).contains("net.ipv4.vs.amemthresh = 1024\n");
    }

    @Test
    void shouldStartListAndStopTheSyncMaster() throws IOException {
        start(RULES, "");
        assertThat(uvsadm("-L", "--daemon").stdout()).isEmpty();
        assertThat(uvsadm("--stop-daemon", "master").stderr()).isEqualTo("No daemon is running\n");
        ControlProtocol.Reply r = uvsadm("--start-daemon", "master", "--mcast-interface", "lo", "--syncid", "7");
        assertThat(r.stderr()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(uvsadm("-L", "--daemon").stdout())
            .isEqualTo("master sync daemon (mcast=lo, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n");
        assertThat(uvsadm("--start-daemon", "master", "--mcast-interface", "lo").stderr())
            .isEqualTo("Daemon has already run\n");
        assertThat(uvsadm("-L", "--sync-stats").stdout()).startsWith("master sync daemon: ");
        assertThat(uvsadm("--stop-daemon", "master").exitCode()).isZero();
        assertThat(uvsadm("-L", "--daemon").stdout()).isEmpty();
        assertThat(uvsadm("--start-daemon", "backup", "--mcast-interface", "nosuchif9").stderr())
            .contains("cannot start sync daemon");
        Path key = dir.resolve("sync.key");
        Files.writeString(key, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
        assertThat(uvsadm("--start-daemon", "master", "--mcast-interface", "lo", "--sync-reliable",
            "--sync-auth-key", key.toString()).exitCode()).isZero();
        assertThat(uvsadm("-L", "--sync-reliable").stderr()).contains("go with --start-daemon");
        assertThat(uvsadm("--stop-daemon", "master").exitCode()).isZero();
        assertThat(uvsadm("--start-daemon", "master", "--mcast-interface", "lo", "--sync-mixed-group").stderr())
            .isEqualTo("--sync-mixed-group goes with --sync-reliable or --sync-auth-key\n");
        assertThat(uvsadm("-L", "--sync-reliable", "--sync-mixed-group").stderr()).contains("go with --start-daemon");
        assertThat(uvsadm("--start-daemon", "master", "--mcast-interface", "lo", "--sync-reliable",
            "--sync-mixed-group").exitCode()).isZero();
        assertThat(uvsadm("--stop-daemon", "master").exitCode()).isZero();
    }

    @Test
    void shouldExposeSyncCountersToPrometheus() throws Exception {
        Path r = dir.resolve("rules");
        Files.writeString(r, RULES);
        uvsd = new Uvsd(UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
            dir.resolve("control.sock")).withRules(r).withMonitoring("127.0.0.1", 0, null));
        assertThat(uvsadm("--start-daemon", "master", "--mcast-interface", "lo").exitCode()).isZero();
        boolean backup = uvsadm("--start-daemon", "backup", "--mcast-interface", "lo").exitCode() == 0;
        String m = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + uvsd.metricsPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(m).contains("uvs_sync_daemon_running{role=\"master\"} 1.0")
            .contains("uvs_sync_master_messages_sent_total 0.0").contains("uvs_sync_master_queue_drops_total 0.0");
        if (backup) {
            assertThat(m).contains("uvs_sync_daemon_running{role=\"backup\"} 1.0")
                .contains("uvs_sync_backup_messages_dropped_total{reason=\"size_mismatch\"} 0.0")
                .contains("uvs_sync_backup_entries_applied_total{result=\"created\"}");
        }
    }

    @Test
    void shouldRefuseToStartWithABadRulesFile() {
        assertThatThrownBy(() -> start("-A -t 10.1.1.1:80 -s rr\n-a -t 10.1.1.1:80 -r 10.2.2.1 -w 2147483648\n", ""))
            .hasMessageContaining("rules:2: ");
    }
}
