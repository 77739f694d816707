package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import uvs.core.EngineConfig;
import uvs.time.ManualClock;

/** uvsd run from a keepalived.conf: rules, health checks against loopback servers, quiescing. */
class UvsdImportTest {
    // one NAT service with one unchecked real server
    private static final String ONE_SERVICE = """
        virtual_server 10.1.1.1 80 {
            lb_algo rr
            lb_kind NAT
            protocol TCP
            real_server 10.2.2.1 80 {
                weight 1
            }
        }
        """;

    @TempDir
    Path dir;

    @Test
    void shouldRunKeepalivedServicesAndQuiesceTheFailedServer() throws Exception {
        try (ServerSocket up = new ServerSocket()) {
            up.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int closedPort;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            Path conf = dir.resolve("keepalived.conf");
            Files.writeString(conf, """
                virtual_server 10.1.1.1 80 {
                    delay_loop 1
                    lb_algo rr
                    lb_kind NAT
                    protocol TCP
                    real_server 127.0.0.1 %d {
                        weight 2
                        inhibit_on_failure
                        TCP_CHECK {
                            connect_timeout 1
                        }
                    }
                    real_server 127.0.0.1 %d {
                        weight 3
                        inhibit_on_failure
                        TCP_CHECK {
                            connect_timeout 1
                        }
                    }
                }
                """.formatted(up.getLocalPort(), closedPort));
            try (Uvsd uvsd = new Uvsd(UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(256, 64),
                dir.resolve("c.sock")).withImport(conf).withMonitoring("127.0.0.1", 0, null))) {
                assertThat(uvsd.health()).isNotNull();
                for (int i = 0; i < 5; i++) {
                    uvsd.health().runRound();
                }
                String list = waitForWeight(uvsd, "127.0.0.1:" + closedPort, "0");
                String upPort = "127.0.0.1:" + up.getLocalPort() + " ";
                String downPort = "127.0.0.1:" + closedPort + " ";
                assertThat(list.lines().filter(l -> l.contains(upPort))).singleElement().asString().contains("Masq    2 ");
                assertThat(list.lines().filter(l -> l.contains(downPort))).singleElement().asString().contains("Masq    0 ");
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + uvsd.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics)
                    .contains("uvs_health_server_up{server=\"127.0.0.1:" + closedPort + "\",service=\"TCP 10.1.1.1:80\"} 0.0")
                    .contains("uvs_health_server_up{server=\"127.0.0.1:" + up.getLocalPort() + "\",service=\"TCP 10.1.1.1:80\"} 1.0")
                    .contains("uvs_sync_daemon_running{role=\"master\"} 0.0");
            }
        }
    }

    @Test
    void shouldLogEveryUncheckedServerAtStartAndReloadAndCountThem() throws Exception {
        Path conf = dir.resolve("ldirectord.cf");
        Files.writeString(conf, """
            virtual=10.1.1.1:5060
                real=10.2.2.1:5060 masq
                real=10.2.2.2:5060 masq
                service=sip
                checktype=negotiate
                scheduler=rr
            """);
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Uvsd.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
            new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try (Uvsd uvsd = new Uvsd(UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(256, 64),
            dir.resolve("c.sock")).withImport(conf).withMonitoring("127.0.0.1", 0, null))) {
            assertThat(unchecked(seen, "10.2.2.1:5060")).as("logged at start").isEqualTo(1);
            assertThat(unchecked(seen, "10.2.2.2:5060")).isEqualTo(1);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + uvsd.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("uvs_health_unchecked_servers 2.0");

            assertThat(uvsd.reload()).isTrue();
            assertThat(unchecked(seen, "10.2.2.1:5060")).as("logged again at reload").isEqualTo(2);
        } finally {
            log.detachAppender(seen);
        }
    }

    private static long unchecked(ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen,
                                  String server) {
        return seen.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
            .filter(m -> m.contains("real server " + server + " of TCP 10.1.1.1:5060 is not checked")).count();
    }

    @Test
    void shouldRestartTheSyncDaemonsWhenAReloadChangesThem() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        String services = ONE_SERVICE;
        Files.writeString(conf, services);
        try (Uvsd uvsd = new Uvsd(UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(256, 64),
            dir.resolve("c.sock")).withImport(conf))) {
            assertThat(daemons(uvsd)).isEmpty();

            Files.writeString(conf, "global_defs {\n    lvs_sync_daemon_interface lo\n}\n" + services);
            assertThat(uvsd.reload()).isTrue();
            assertThat(daemons(uvsd).lines()).as("both daemons of the legacy form, on lo")
                .anyMatch(l -> l.startsWith("master sync daemon (mcast=lo, syncid=0,"))
                .anyMatch(l -> l.startsWith("backup sync daemon (mcast=lo, syncid=0,")).hasSize(2);

            assertThat(uvsd.reload()).as("unchanged: left running").isTrue();
            assertThat(daemons(uvsd)).contains("master sync daemon");

            Files.writeString(conf, services);
            assertThat(uvsd.reload()).isTrue();
            assertThat(daemons(uvsd)).as("gone from the file: stopped").isEmpty();
        }
    }

    @Test
    void shouldAddTheRulesFileToTheImportAndRefuseConflicts() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, ONE_SERVICE);
        Path rules = dir.resolve("extra.rules");
        Files.writeString(rules, "-A -t 10.9.9.1:80 -s rr\n-a -t 10.9.9.1:80 -r 10.9.9.2:80 -g -w 1\n");
        UvsdConfig config = UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(256, 64),
            dir.resolve("c.sock")).withImport(conf).withRules(rules);
        try (Uvsd uvsd = new Uvsd(config)) {
            String list = UvsadmClient.send(uvsd.socket(), List.of("-S", "-n"), new byte[0]).stdout();
            assertThat(list).isEqualTo("""
                -A -t 10.1.1.1:80 -s rr
                -a -t 10.1.1.1:80 -r 10.2.2.1:80 -m -w 1
                -A -t 10.9.9.1:80 -s rr
                -a -t 10.9.9.1:80 -r 10.9.9.2:80 -g -w 1
                """);

            Files.writeString(rules, "-a -t 10.1.1.1:80 -r 10.2.2.9:80 -g -w 1\n");
            assertThat(uvsd.reload()).as("a real server for an imported service: refused").isFalse();
            assertThat(UvsadmClient.send(uvsd.socket(), List.of("-S", "-n"), new byte[0]).stdout()).isEqualTo(list);
        }
        assertThatThrownBy(() -> new Uvsd(config)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage(rules + ":1: service TCP 10.1.1.1:80 is the imported file's (" + conf + "); the rules file may "
                + "only add services and real servers to the import");
        Files.writeString(rules, "-C\n");
        assertThatThrownBy(() -> new Uvsd(config)).hasMessageContaining(rules + ":1: -C would clear the imported "
            + "services");
    }

    private static String daemons(Uvsd uvsd) throws IOException {
        return UvsadmClient.send(uvsd.socket(), List.of("-L", "--daemon"), new byte[0]).stdout();
    }

    private static String waitForWeight(Uvsd uvsd, String server, String weight) throws IOException,
            InterruptedException {
        String list = "";
        for (int i = 0; i < 50; i++) {
            list = UvsadmClient.send(uvsd.socket(), List.of("-L", "-n"), new byte[0]).stdout();
            if (list.lines().anyMatch(l -> l.contains(server) && l.contains("Masq    " + weight))) {
                break;
            }
            Thread.sleep(50);
        }
        return list;
    }
}
