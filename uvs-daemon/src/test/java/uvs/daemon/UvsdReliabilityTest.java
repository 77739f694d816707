package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.EngineConfig;
import uvs.core.conn.ConnTable;
import uvs.time.ManualClock;

/**
 * Faults that used to leave uvsd alive and useless: files that never end or block (/dev/zero, a FIFO), an
 * Error on the engine thread, a second uvsd on the same socket, empty or cut-off rules on reload, commands
 * and reloads that failed half-way, and messages that named nothing.
 */
class UvsdReliabilityTest {
    private static final String RULES = """
        -A -t 10.1.1.1:80 -s rr
        -a -t 10.1.1.1:80 -r 10.2.2.1:80 -g -w 1
        -A -t 10.1.1.2:80 -s rr
        -A -t 10.1.1.3:80 -s wlc
        """;

    @TempDir
    Path dir;
    private final List<Uvsd> started = new ArrayList<>();
    private final List<Integer> exits = new CopyOnWriteArrayList<>();

    private Uvsd start(Path rules, Path sysctl) throws IOException {
        UvsdConfig c = UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
            dir.resolve("control.sock"));
        if (rules != null) {
            c = c.withRules(rules);
        }
        if (sysctl != null) {
            c = c.withSysctl(sysctl);
        }
        Uvsd u = new Uvsd(c, new Supervisor(exits::add));
        started.add(u);
        return u;
    }

    private Path rules(String text) throws IOException {
        return Files.writeString(dir.resolve("rules"), text);
    }

    @AfterEach
    void stop() throws IOException {
        for (Uvsd u : started) {
            u.close();
        }
    }

    private ControlProtocol.Reply uvsadm(String... args) throws IOException {
        return UvsadmClient.send(dir.resolve("control.sock"), List.of(args), new byte[0]);
    }

    private int services() throws IOException {
        return (int) uvsadm("-S", "-n").stdout().lines().filter(l -> l.startsWith("-A")).count();
    }

    private Path fifo(String name) throws Exception {
        Path p = dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
        return p;
    }

    @Test
    void shouldRefuseDevZeroAndFifoAsRulesAtStartAndOnReloadAndStayUsable() throws Exception {
        assertThatThrownBy(() -> start(Path.of("/dev/zero"), null))
            .hasMessage("/dev/zero: not a regular file (a device, FIFO or socket)");
        Path r = rules(RULES);
        Uvsd u = start(r, null);
        // the rules path now points at /dev/zero, then at a FIFO nobody writes to
        Files.delete(r);
        Files.createSymbolicLink(r, Path.of("/dev/zero"));
        assertThat(u.reload()).isFalse();
        Files.delete(r);
        fifo("rules");
        long t0 = System.nanoTime();
        assertThat(u.reload()).isFalse();
        assertThat(System.nanoTime() - t0).as("a FIFO must not block the reload").isLessThan(5_000_000_000L);
        // still serving, nothing changed; a good file again is taken
        assertThat(services()).isEqualTo(3);
        Files.delete(r);
        rules(RULES + "-A -t 10.1.1.4:80 -s rr\n");
        assertThat(u.reload()).isTrue();
        assertThat(services()).isEqualTo(4);
        assertThat(exits).isEmpty();
    }

    @Test
    void shouldRefuseDevZeroAndFifoAsSyncKeyWithoutBlockingTheEngine() throws Exception {
        start(rules(RULES), null);
        Path key = fifo("key");
        for (String k : List.of("/dev/zero", key.toString())) {
            ControlProtocol.Reply r = uvsadm("--start-daemon", "backup", "--mcast-interface", "lo", "--sync-auth-key", k);
            assertThat(r.exitCode()).isEqualTo(IpvsadmHandler.EXIT_KERNEL_ERROR);
            assertThat(r.stderr()).contains(k + ": not a regular file");
            // the engine still answers at once
            assertThat(uvsadm("-L", "-n").exitCode()).isZero();
        }
        assertThat(uvsadm("-L", "--daemon").stdout()).isEmpty();
    }

    @Test
    void shouldStopTheDaemonWhenTheEngineThreadDiesOfAnError() throws Exception {
        Uvsd u = new Uvsd(UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
            dir.resolve("control.sock")).withRules(rules(RULES)).withMonitoring("127.0.0.1", 0, null),
            new Supervisor(exits::add));
        started.add(u);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> u.agent().call(e -> {
            throw new OutOfMemoryError("Java heap space (simulated)");
        }, 30)).hasMessageContaining("OutOfMemoryError");
        assertThat(System.nanoTime() - t0).as("the caller is told at once, not after its timeout")
            .isLessThan(5_000_000_000L);
        for (int i = 0; i < 100 && exits.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertThat(exits).containsExactly(Supervisor.EXIT_FAILED);
        assertThat(u.supervisor().failure()).startsWith("uvs-engine: OutOfMemoryError");
        assertThat(u.supervisor().errorCounts()).containsEntry("uvs-engine", 1L);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + u.metricsPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("uvs_daemon_thread_errors_total{thread=\"uvs-engine\"} 1.0");
        // a command now fails at once instead of waiting out its timeout
        long t1 = System.nanoTime();
        assertThatThrownBy(() -> u.agent().call(e -> 1, 30)).hasMessageContaining("engine stopped");
        assertThat(System.nanoTime() - t1).isLessThan(5_000_000_000L);
    }

    @Test
    void shouldCountAFailingEngineCycleLogItOnceAndKeepServing() throws Exception {
        Uvsd u = new Uvsd(UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
            dir.resolve("control.sock")).withRules(rules(RULES)).withMonitoring("127.0.0.1", 0, null),
            new Supervisor(exits::add));
        started.add(u);
        AtomicInteger faults = new AtomicInteger(3);
        u.agent().addCycleWork(e -> {
            if (faults.getAndDecrement() > 0) {
                throw new IllegalStateException("cycle fault (simulated)");
            }
            return 0;
        });
        for (int i = 0; i < 500 && u.supervisor().errorCounts().getOrDefault("uvs-engine", 0L) < 3; i++) {
            Thread.sleep(10);
        }
        assertThat(u.supervisor().errorCounts()).containsEntry("uvs-engine", 3L);
        assertThat(exits).as("an exception in a cycle does not stop uvsd").isEmpty();
        assertThat(services()).isEqualTo(3);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + u.metricsPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("uvs_daemon_thread_errors_total{thread=\"uvs-engine\"} 3.0");
    }

    @Test
    void shouldRefuseASecondDaemonOnTheSameSocketAndLeaveTheFirstReachable() throws Exception {
        start(rules(RULES), null);
        // the second one would also fail on its own (a busy metrics port): it must not touch the socket first
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            UvsdConfig second = UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
                dir.resolve("control.sock")).withMonitoring("127.0.0.1", busy.getLocalPort(), null);
            assertThatThrownBy(() -> new Uvsd(second, new Supervisor(exits::add)))
                .hasMessage("another uvsd (pid " + ProcessHandle.current().pid() + ") serves " + dir.resolve("control.sock")
                    + "; stop it first or give another --control-socket");
        }
        assertThat(dir.resolve("control.sock")).exists();
        assertThat(services()).isEqualTo(3);
    }

    @Test
    void shouldGiveBackTheSocketWhenStartFailsLate() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            UvsdConfig c = UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
                dir.resolve("control.sock")).withMonitoring("127.0.0.1", busy.getLocalPort(), null);
            assertThatThrownBy(() -> new Uvsd(c, new Supervisor(exits::add))).isInstanceOf(IOException.class);
        }
        assertThat(dir.resolve("control.sock")).doesNotExist();
        start(rules(RULES), null);
        assertThat(services()).isEqualTo(3);
    }

    @Test
    void shouldRefuseEmptyAndCutOffRulesOnReloadUnlessTheFileSaysSo() throws Exception {
        Uvsd u = start(rules(RULES), null);
        rules("");
        assertThat(u.reload()).isFalse();
        rules("-A -t 10.1.1.1:80 -s rr\n-a -t 10.1.1.1:80 -r 10.2.2.1:80 -g -w 1\n-A -t 10.1.1.2:8");
        assertThat(u.reload()).as("cut off mid-line").isFalse();
        rules("-A -t 10.1.1.1:80 -s rr");
        assertThat(u.reload()).as("no newline at the end").isFalse();
        assertThat(services()).isEqualTo(3);
        rules(DaemonFiles.ALLOW_EMPTY + "\n");
        assertThat(u.reload()).isTrue();
        assertThat(services()).isZero();
    }

    @Test
    void shouldReportEveryProblemOfARulesFileAtOnceAndCountTheRefusedReload() throws Exception {
        Uvsd u = start(rules(RULES), null);
        Path r = rules("""
            -A -t 10.1.1.1:80 -s rr
            -A -t 10.1.1.2:80 -s nosuch
            -a -t 10.1.1.1:80 -r 10.2.2.1:80 -g -w 1
            -a -t 10.1.1.9:80 -r 10.2.2.1:80 -g -w 1
            -a -t 10.1.1.1:80 -r 10.2.2.1:80 -g -w 2
            """);
        UvsdConfig c = UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults(), dir.resolve("x.sock")).withRules(r);

        assertThatThrownBy(() -> DaemonFiles.load(c)).hasMessage(r + ":2: Scheduler or persistence engine not found\n"
            + r + ":4: Service not defined\n" + r + ":5: Destination already exists");
        assertThat(u.reload()).isFalse();

        assertThat(services()).isEqualTo(3);
        assertThat(u.reloadCounters().refusedCount()).isEqualTo(1);
        rules(RULES.replace("-w 1", "-w 3"));
        assertThat(u.reload()).isTrue();
        assertThat(u.reloadCounters().appliedCount()).isEqualTo(1);
        assertThat(u.reloadCounters().failedCount()).isZero();
        assertThat(uvsadm("-S", "-n").stdout()).contains("-a -t 10.1.1.1:80 -r 10.2.2.1:80 -g -w 3");
    }

    @Test
    void shouldLogAndCountAReloadThatFailsForAnyOtherReason() throws Exception {
        Uvsd u = start(rules(RULES), null);
        u.agent().stop();

        assertThat(u.reload()).isFalse();

        assertThat(u.reloadCounters().failedCount()).isEqualTo(1);
        assertThat(u.reloadCounters().refusedCount()).isZero();
        assertThat(u.supervisor().errorCounts()).containsEntry("uvs-reload", 1L);
        assertThat(exits).isEmpty();
    }

    @Test
    void shouldSetSeveralTunablesAllOrNothing() throws Exception {
        start(rules(RULES), null);
        ControlProtocol.Reply r = uvsadm("--sysctl", "net.ipv4.vs.sync_retries=3", "net.ipv4.vs.bogus=1");
        assertThat(r.exitCode()).isEqualTo(IpvsadmHandler.EXIT_KERNEL_ERROR);
        assertThat(r.stderr()).contains("bogus").contains("nothing changed");
        r = uvsadm("--sysctl", "net.ipv4.vs.sync_retries=3", "net.ipv4.vs.sync_version=7");
        assertThat(r.exitCode()).isEqualTo(IpvsadmHandler.EXIT_KERNEL_ERROR);
        assertThat(uvsadm("--sysctl", "sync_retries").stdout()).isEqualTo("net.ipv4.vs.sync_retries = 0\n");
        assertThat(uvsadm("--sysctl", "sync_retries=3", "sync_version=0").exitCode()).isZero();
        assertThat(uvsadm("--sysctl", "sync_retries").stdout()).isEqualTo("net.ipv4.vs.sync_retries = 3\n");
    }

    @Test
    void shouldReloadTunablesAndRulesTogetherOrNotAtAll() throws Exception {
        Path sysctl = Files.writeString(dir.resolve("sysctl.conf"), "net.ipv4.vs.sync_retries = 1\n");
        Uvsd u = start(rules(RULES), sysctl);
        Files.writeString(sysctl, "net.ipv4.vs.sync_retries = 2\n");
        rules("-A -t 10.1.1.1:80 -s nosuch\n");
        assertThat(u.reload()).isFalse();
        assertThat(uvsadm("--sysctl", "sync_retries").stdout()).isEqualTo("net.ipv4.vs.sync_retries = 1\n");
        rules(RULES);
        assertThat(u.reload()).isTrue();
        assertThat(uvsadm("--sysctl", "sync_retries").stdout()).isEqualTo("net.ipv4.vs.sync_retries = 2\n");
    }

    @Test
    void shouldNameTheFileAndLineOrOptionInEveryError() throws Exception {
        Path r = dir.resolve("rules");
        Files.write(r, new byte[] {'-', 'A', ' ', '-', 't', ' ', '1', '0', '.', '1', '.', '1', '.', '1', ':', '8', '0', '\n',
            '-', 'A', ' ', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> start(r, null)).hasMessage(r + ":2: not UTF-8 text");
        assertThatThrownBy(() -> start(dir, null)).hasMessage(dir + ": not a regular file (a directory)");
        assertThatThrownBy(() -> start(Path.of("/nonexistent"), null)).hasMessage("cannot read /nonexistent: no such file");
        start(rules(RULES), null);
        // repeated extension flags mean the same as once, and a huge argument is not echoed back whole
        Path key = Files.writeString(dir.resolve("sync.key"), "00112233445566778899aabbccddeeff\n");
        assertThat(uvsadm("--start-daemon", "master", "--mcast-interface", "lo", "--sync-reliable", "--sync-reliable",
            "--sync-auth-key", key.toString()).stderr()).isEmpty();
        String huge = "x".repeat(60_000);
        ControlProtocol.Reply bad = uvsadm("-A", "--" + huge);
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr().length()).isLessThan(1000);
        assertThat(bad.stderr()).contains("more characters");
    }

    @Test
    void shouldWarnInTheDaemonListingWhenReliableModeRunsWithoutAKey() throws Exception {
        start(rules(RULES), null);
        assertThat(uvsadm("--start-daemon", "master", "--mcast-interface", "lo", "--sync-reliable").exitCode()).isZero();
        ControlProtocol.Reply l = uvsadm("-L", "--daemon");
        assertThat(l.stdout()).startsWith("master sync daemon (mcast=lo");
        assertThat(l.stderr()).isEqualTo(IpvsadmHandler.RELIABLE_WITHOUT_KEY);
    }

    @Test
    void shouldRefuseABadCapacityInOneLineWithoutAStackTrace() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream was = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = new picocli.CommandLine(new UvsdMain()).execute("--capacity", "0", "--control-socket",
                dir.resolve("control.sock").toString(), "--metrics-port", "-1", "--proc-dir", "none");
        } finally {
            System.setErr(was);
        }
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
            .isEqualTo("uvsd: --capacity 0: must be 1.." + ConnTable.MAX_CAPACITY + "\n");
    }

    @Test
    void shouldCheckRulesWithoutEnginesOfTheConfiguredCapacity() throws Exception {
        // two scratch engines of 16 M + 16 M entries each would not fit the test JVM's 2 GiB heap
        int max = ConnTable.MAX_CAPACITY;
        UvsdConfig c = UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(max, max),
            dir.resolve("control.sock")).withRules(rules(""));
        DaemonFiles files = DaemonFiles.load(c);
        assertThat(files.services()).isZero();
    }
}
