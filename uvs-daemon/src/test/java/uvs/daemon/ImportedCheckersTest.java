package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.Engine;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.RealServer;
import uvs.core.svc.ServiceKey;
import uvs.ctl.model.EngineModel;
import uvs.ctl.model.Reconciler;
import uvs.daemon.health.HealthChecker;
import uvs.daemon.health.LoopbackDns;
import uvs.daemon.health.ScriptedServer;
import uvs.time.ManualClock;

/**
 * keepalived's SMTP_CHECK (with a host block), DNS_CHECK and PING_CHECK and ldirectord's negotiate checks,
 * imported and run against loopback servers the test starts.
 */
class ImportedCheckersTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();
    private final Engine engine = new Engine(clock, EngineConfig.defaults().withCapacity(1024, 64));
    private final EngineAgent agent = new EngineAgent(engine);
    private HealthChecker checker;

    @AfterEach
    void tearDown() {
        if (checker != null) {
            checker.stop();
        }
        agent.stop();
    }

    private ImportedConfig start(String name, String text) throws Exception {
        Path conf = dir.resolve(name);
        Files.writeString(conf, text);
        ImportedConfig imported = ImportedConfig.read(conf);
        EngineModel.apply(engine, Reconciler.diff(EngineModel.of(engine), imported.config()));
        checker = new HealthChecker(imported.healthConfig(), new EngineGroup(List.of(agent)), clock);
        checker.reapply();
        drain();
        return imported;
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

    private RealServer dest(ServiceKey vs, String addr, int port) {
        return engine.service(vs).findDest(IpAddress.parse(addr), port);
    }

    private static String smtp(String line) {
        return line.startsWith("HELO ") ? "250 hi\r\n" : line.equals("QUIT") ? "221 bye\r\n" : "500 no\r\n";
    }

    @Test
    void shouldRunKeepalivedSmtpDnsAndPingChecks() throws Exception {
        try (ScriptedServer mx = new ScriptedServer("220 mx ready\r\n", ImportedCheckersTest::smtp);
             ScriptedServer mx2 = new ScriptedServer("220 mx2 ready\r\n", ImportedCheckersTest::smtp);
             DatagramSocket dns = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Thread.ofVirtual().start(() -> LoopbackDns.serve(dns));
            ImportedConfig imported = start("keepalived.conf", """
                virtual_server 10.1.1.1 25 {
                    lb_algo rr
                    lb_kind NAT
                    protocol TCP
                    real_server 10.2.2.1 25 {
                        SMTP_CHECK {
                            helo_name lb1.example
                            retry 0
                            host {
                                connect_ip 127.0.0.1
                                connect_port %d
                            }
                            host {
                                connect_ip 127.0.0.1
                                connect_port %d
                            }
                        }
                    }
                }
                virtual_server 10.1.1.1 53 {
                    lb_algo rr
                    lb_kind NAT
                    protocol UDP
                    real_server 10.2.2.2 53 {
                        DNS_CHECK {
                            connect_ip 127.0.0.1
                            connect_port %d
                            type A
                            name www.example.com
                            retry 0
                        }
                    }
                    real_server 10.2.2.3 53 {
                        PING_CHECK {
                            connect_ip 127.0.0.1
                        }
                    }
                }
                """.formatted(mx.port(), mx2.port(), dns.getLocalPort()));
            assertThat(imported.notAsWritten()).isEmpty();
            assertThat(imported.uncheckedServers()).isZero();
            ServiceKey smtpVs = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.1"), 25);
            ServiceKey dnsVs = ServiceKey.of(IpProto.UDP, IpAddress.parse("10.1.1.1"), 53);

            round();
            assertThat(mx.received(2)).containsExactly("HELO lb1.example", "QUIT");
            assertThat(mx2.received(2)).as("every host is checked").containsExactly("HELO lb1.example", "QUIT");
            assertThat(dest(smtpVs, "10.2.2.1", 25).weight()).isEqualTo(1);
            assertThat(dest(dnsVs, "10.2.2.2", 53).weight()).isEqualTo(1);
            assertThat(dest(dnsVs, "10.2.2.3", 53).weight()).isEqualTo(1);

            mx2.close();
            dns.close();
            round();
            assertThat(dest(smtpVs, "10.2.2.1", 25)).as("second host down: removed").isNull();
            assertThat(dest(dnsVs, "10.2.2.2", 53)).as("DNS server gone").isNull();
            assertThat(dest(dnsVs, "10.2.2.3", 53).weight()).as("still answers pings").isEqualTo(1);
        }
    }

    @Test
    void shouldRunLdirectordNegotiateChecks() throws Exception {
        try (ScriptedServer pop = new ScriptedServer("+OK ready\r\n", l -> switch (l) {
            case "USER alice", "PASS secret", "QUIT" -> "+OK\r\n";
            default -> "-ERR\r\n";
        });
             ScriptedServer nntp = new ScriptedServer("400 not now\r\n", l -> null)) {
            ImportedConfig imported = start("ldirectord.cf", """
                checktimeout=2
                quiescent=yes
                virtual=10.1.1.1:110
                    real=127.0.0.1:%d masq
                    service=pop
                    checktype=negotiate
                    login="alice"
                    passwd="secret"
                    scheduler=rr
                virtual=10.1.1.1:119
                    real=127.0.0.1:%d masq
                    service=nntp
                    checktype=negotiate
                    scheduler=rr
                """.formatted(pop.port(), nntp.port()));
            assertThat(imported.uncheckedServers()).isZero();
            round();
            assertThat(pop.received(3)).containsExactly("USER alice", "PASS secret", "QUIT");
            assertThat(dest(ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.1"), 110), "127.0.0.1", pop.port())
                .weight()).isEqualTo(1);
            assertThat(dest(ServiceKey.of(IpProto.TCP, IpAddress.parse("10.1.1.1"), 119), "127.0.0.1", nntp.port())
                .weight()).as("greeting 400: quiesced").isZero();
        }
    }
}
