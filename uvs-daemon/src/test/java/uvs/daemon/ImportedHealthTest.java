package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.EngineModel;
import uvs.ctl.model.Reconciler;
import uvs.daemon.health.HealthChecker;
import uvs.time.ManualClock;

/**
 * keepalived configurations imported and run: the checks talk to a loopback HTTP server (through
 * {@code connect_ip}/{@code connect_port}) whose paths answer the status the test sets, and the engine
 * shows what keepalived would have done to the real servers and the sorry server.
 */
class ImportedHealthTest {
    private static final ServiceKey VS = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.1"), 80);
    private static final IpAddress SORRY = IpAddress.parse("10.9.9.9");
    private static final String BODY = "all good\n";

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();
    private final Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(1024, 64));
    private final EngineAgent agent = new EngineAgent(engine);
    private final Map<String, Integer> status = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, String> hosts = new ConcurrentHashMap<>();
    private HttpServer http;
    private HealthChecker checker;
    private ImportedConfig imported;

    @BeforeEach
    void setUp() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            hosts.put(path, String.valueOf(x.getRequestHeaders().getFirst("Host")));
            byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
            x.sendResponseHeaders(status.getOrDefault(path, 404), body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        http.start();
    }

    @AfterEach
    void tearDown() {
        if (checker != null) {
            checker.stop();
        }
        agent.stop();
        http.stop(0);
    }

    private int port() {
        return http.getAddress().getPort();
    }

    // a real server 10.2.2.N:80 checked at the loopback server with the given checker body
    private String real(int n, int weight, String check) {
        return """
                real_server 10.2.2.%d 80 {
                    weight %d
                    HTTP_GET {
                        connect_ip 127.0.0.1
                        connect_port %d
                        bindto 127.0.0.1
            %s
                    }
                }
            """.formatted(n, weight, port(), check.indent(12).stripTrailing());
    }

    private static String url(String path) {
        return "url {\n    path " + path + "\n    status_code 200\n}";
    }

    private void start(String virtualServerBody) throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, "virtual_server 10.1.1.1 80 {\n    delay_loop 6\n    lb_algo rr\n    lb_kind NAT\n"
            + "    protocol TCP\n" + virtualServerBody + "}\n");
        imported = ImportedConfig.read(conf);
        EngineModel.apply(engine, Reconciler.diff(EngineModel.of(engine), imported.config()));
        checker = new HealthChecker(imported.healthConfig(), new EngineGroup(List.of(agent)), clock);
        checker.reapply();
        drain();
    }

    private void drain() {
        for (int i = 0; i < 100 && agent.doWork() > 0; i++) {
            // the agent applies at most 64 tasks per cycle
        }
    }

    private void round() {
        checker.runRound();
        drain();
    }

    private RealServer dest(String addr) {
        return engine.service(VS).findDest(IpAddress.parse(addr), 80);
    }

    private RealServer sorry() {
        return engine.service(VS).findDest(SORRY, 80);
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void shouldCheckEveryUrlAndRemoveTheServerWhenTheSecondOneFails() throws Exception {
        status.put("/ok", 200);
        start(real(1, 1, url("/ok") + "\n" + url("/missing") + "\nretry 0"));
        assertThat(dest("10.2.2.1").weight()).isEqualTo(1);

        round();

        assertThat(requests.get("/ok")).as("first url asked").hasPositiveValue();
        assertThat(requests.get("/missing")).as("second url asked").hasPositiveValue();
        assertThat(dest("10.2.2.1")).as("removed, as keepalived does without inhibit_on_failure").isNull();

        status.put("/missing", 200);
        round();
        assertThat(dest("10.2.2.1").weight()).isEqualTo(1);
    }

    @Test
    void shouldCheckStatusRangesDigestAndVirtualhostOfEachUrl() throws Exception {
        status.put("/a", 203);
        status.put("/b", 302);
        start("    inhibit_on_failure\n" + real(1, 2, """
            virtualhost www.example.com
            url {
                path /a
                status_code 200-204
                digest %s
            }
            url {
                path /b
                status_code 200 301-302
                virtualhost other.example.com
            }
            retry 0
            """.formatted(md5(BODY))));
        round();
        assertThat(dest("10.2.2.1").weight()).as("both urls pass").isEqualTo(2);
        assertThat(hosts).containsEntry("/a", "www.example.com").containsEntry("/b", "other.example.com");

        status.put("/b", 303);
        round();
        assertThat(dest("10.2.2.1").weight()).as("303 is outside 200 301-302: quiesced").isZero();

        status.put("/b", 301);
        round();
        assertThat(dest("10.2.2.1").weight()).isEqualTo(2);
        // a body whose MD5 is not the digest
        checker.stop();
        start("    inhibit_on_failure\n"
            + real(1, 2, "url {\n    path /a\n    digest " + md5("other") + "\n}\nretry 0"));
        round();
        assertThat(dest("10.2.2.1").weight()).as("digest differs").isZero();
    }

    @Test
    void shouldNeedEveryCheckerOfARealServer() throws Exception {
        status.put("/ok", 200);
        start("""
                real_server 10.2.2.1 80 {
                    TCP_CHECK {
                        connect_ip 127.0.0.1
                        connect_port %d
                        retry 0
                    }
                    HTTP_GET {
                        connect_ip 127.0.0.1
                        connect_port %d
                        url {
                            path /missing
                        }
                        retry 0
                    }
                }
            """.formatted(port(), port()));
        round();
        assertThat(requests.get("/missing")).hasPositiveValue();
        assertThat(dest("10.2.2.1")).as("TCP passes, HTTP fails: removed").isNull();
        status.put("/missing", 200);
        round();
        assertThat(dest("10.2.2.1").weight()).isEqualTo(1);
    }

    @Test
    void shouldLoseQuorumRemoveTheLiveServersAndAddTheSorryServerThenRegainIt() throws Exception {
        status.put("/a", 200);
        status.put("/b", 200);
        start("    quorum 2\n    sorry_server 10.9.9.9 80\n" + real(1, 1, url("/a") + "\nretry 0")
            + real(2, 1, url("/b") + "\nretry 0"));
        assertThat(sorry()).as("quorum up at start: no sorry server").isNull();

        status.put("/b", 500);
        round();
        // live weight 1 < quorum 2: keepalived removes the live servers and adds the sorry server
        assertThat(dest("10.2.2.1")).as("live server out of the pool").isNull();
        assertThat(dest("10.2.2.2")).as("failed server removed").isNull();
        assertThat(sorry().weight()).isEqualTo(1);
        assertThat(checker.counters().sorryActive(VS)).isTrue();

        status.put("/b", 200);
        round();
        assertThat(sorry()).as("quorum gained: sorry server removed").isNull();
        assertThat(dest("10.2.2.1").weight()).isEqualTo(1);
        assertThat(dest("10.2.2.2").weight()).isEqualTo(1);
    }

    @Test
    void shouldKeepWhatTheChecksFoundAcrossAReload() throws Exception {
        status.put("/a", 200);
        start("    quorum 2\n    sorry_server 10.9.9.9 80\n" + real(1, 1, url("/a") + "\nretry 0")
            + real(2, 1, url("/b") + "\nretry 0"));
        round();
        assertThat(sorry()).isNotNull();

        // what uvsd does on SIGHUP: the rules reconciled (the failed server is back in them), a new checker
        // from the file read again keeping the old one's states
        EngineModel.apply(engine, Reconciler.diff(EngineModel.of(engine), imported.config()));
        assertThat(dest("10.2.2.2")).isNotNull();
        HealthChecker old = checker;
        old.stop();
        checker = new HealthChecker(imported.healthConfig(), new EngineGroup(List.of(agent)), clock);
        assertThat(checker.inheritStates(old)).isEqualTo(2);
        checker.reapply();
        drain();
        assertThat(dest("10.2.2.2")).as("the failed server stays out").isNull();
        assertThat(dest("10.2.2.1")).as("quorum still lost").isNull();
        assertThat(sorry().weight()).isEqualTo(1);
    }

    @Test
    void shouldKeepLiveServersWhenTheQuorumIsLostWithoutASorryServer() throws Exception {
        status.put("/a", 200);
        start("    quorum 2\n" + real(1, 1, url("/a") + "\nretry 0") + real(2, 1, url("/b") + "\nretry 0"));
        round();
        // keepalived takes live servers out only to put the sorry server in
        assertThat(dest("10.2.2.1").weight()).isEqualTo(1);
        assertThat(dest("10.2.2.2")).isNull();
    }

    @Test
    void shouldApplyHysteresisBothWays() throws Exception {
        status.put("/a", 200);
        status.put("/b", 200);
        status.put("/c", 200);
        start("    quorum 2\n    hysteresis 1\n    sorry_server 10.9.9.9 80\n" + real(1, 1, url("/a") + "\nretry 0")
            + real(2, 1, url("/b") + "\nretry 0") + real(3, 1, url("/c") + "\nretry 0"));
        status.put("/b", 500);
        status.put("/c", 500);
        round();
        assertThat(sorry()).as("live weight 1 is not below quorum - hysteresis = 1: quorum kept").isNull();
        assertThat(dest("10.2.2.1").weight()).isEqualTo(1);

        status.put("/a", 500);
        round();
        assertThat(sorry().weight()).as("live weight 0: lost").isEqualTo(1);

        status.put("/a", 200);
        status.put("/b", 200);
        round();
        assertThat(sorry()).as("live weight 2 is below quorum + hysteresis = 3: still lost").isNotNull();
        assertThat(dest("10.2.2.1")).isNull();

        status.put("/c", 200);
        round();
        assertThat(sorry()).as("live weight 3: gained").isNull();
        assertThat(dest("10.2.2.1").weight()).isEqualTo(1);
        assertThat(dest("10.2.2.3").weight()).isEqualTo(1);
    }

    @Test
    void shouldKeepAnInhibitedSorryServerAtWeightZeroAndQuiesceInhibitedLiveServers() throws Exception {
        status.put("/a", 200);
        start("    quorum 2\n    sorry_server 10.9.9.9 80\n    sorry_server_inhibit\n    inhibit_on_failure\n"
            + real(1, 1, url("/a") + "\nretry 0") + real(2, 1, url("/b") + "\nretry 0"));
        assertThat(sorry().weight()).as("sorry_server_inhibit: in the pool at weight 0 while not needed").isZero();

        round();
        assertThat(sorry().weight()).isEqualTo(1);
        assertThat(dest("10.2.2.1").weight()).as("inhibit_on_failure: out of the pool at weight 0").isZero();

        status.put("/b", 200);
        round();
        assertThat(sorry().weight()).as("quorum back: the sorry server is quiesced, not removed").isZero();
        assertThat(dest("10.2.2.1").weight()).isEqualTo(1);
    }

    @Test
    void shouldStartWithQuorumDownWhenServersStartDown() throws Exception {
        status.put("/a", 200);
        start("    alpha\n    sorry_server 10.9.9.9 80\n" + real(1, 3, url("/a")));
        assertThat(sorry().weight()).as("alpha: every server starts down, the sorry server is in").isEqualTo(1);
        assertThat(dest("10.2.2.1")).as("alpha without inhibit_on_failure: out of the pool").isNull();
        round();
        assertThat(sorry()).isNull();
        assertThat(dest("10.2.2.1").weight()).isEqualTo(3);
        assertThat(dest("10.2.2.1").forward()).as("added back with its method (lb_kind NAT)")
            .isEqualTo(ForwardMethod.MASQ);
    }

    @Test
    void shouldRunQuorumUpAndDownCommands() throws Exception {
        status.put("/a", 200);
        Path down = dir.resolve("down");
        Path up = dir.resolve("up");
        start("    quorum_up /usr/bin/touch " + up + "\n    quorum_down /usr/bin/touch " + down + "\n"
            + real(1, 1, url("/a") + "\nretry 0"));
        status.put("/a", 500);
        round();
        awaitFile(down);
        assertThat(up).doesNotExist();
        status.put("/a", 200);
        round();
        awaitFile(up);
    }

    @Test
    void shouldRunQuorumDownAtShutdownWithOmega() throws Exception {
        status.put("/a", 200);
        Path down = dir.resolve("down");
        start("    omega\n    quorum_down /usr/bin/touch " + down + "\n" + real(1, 1, url("/a")));
        round();
        assertThat(down).as("quorum up: nothing run yet").doesNotExist();
        checker.shutdown();
        assertThat(down).as("omega: quorum_down ran before shutdown returned").exists();
        checker = null;
    }

    private static void awaitFile(Path p) throws InterruptedException {
        for (int i = 0; i < 500 && !Files.exists(p); i++) {
            Thread.sleep(10);
        }
        assertThat(p).exists();
    }
}
