package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.net.IpAddress;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.HealthCheckConfig;
import uvs.ctl.health.HealthConfig;
import uvs.ctl.health.ServiceQuorum;

/** keepalived/ldirectord checks mapped to the health checker's configuration. */
class ImportedConfigTest {
    @TempDir
    Path dir;

    @Test
    void shouldSuspendTheChecksOfAVirtualServerWithHaSuspendWhileItsAddressIsElsewhere() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
            virtual_server 10.1.1.1 80 {
                lb_algo rr
                lb_kind DR
                protocol TCP
                ha_suspend
                real_server 10.2.2.1 80 {
                    TCP_CHECK {
                    }
                }
            }
            virtual_server fwmark 7 {
                lb_algo rr
                lb_kind DR
                ha_suspend
                real_server 10.2.2.2 80 {
                    TCP_CHECK {
                        connect_port 80
                    }
                }
            }
            """);
        ImportedConfig imported = ImportedConfig.read(conf);

        assertThat(imported.healthConfig().checks()).extracting(HealthCheckConfig::kind).containsExactly(
            new CheckKind.WhileLocal(new CheckKind.Tcp(), IpAddress.parse("10.1.1.1")), new CheckKind.Tcp());
        // a firewall mark has no address of its own to look for: keepalived clears it, and says so
        assertThat(imported.notAsWritten()).containsExactly(
            "keepalived.conf:11: warning: ha_suspend cannot be used with fwmarks: cleared",
            "keepalived.conf:15: warning: real server 10.2.2.2: a port is ignored for a fwmark service unless NAT");
    }

    @Test
    void shouldVerifySslGetCertificatesAgainstTheSslBlocksCaAndNotWithoutOne() throws Exception {
        String vs = """
            virtual_server 10.1.1.1 443 {
                lb_algo rr
                lb_kind DR
                protocol TCP
                real_server 10.2.2.1 443 {
                    SSL_GET {
                        url {
                            path /health
                        }
                    }
                }
            }
            """;
        Path withCa = Files.writeString(dir.resolve("with-ca.conf"), vs + "SSL {\n    ca /etc/uvs/ca.pem\n}\n");
        Path without = Files.writeString(dir.resolve("without.conf"), vs);

        CheckKind.Http verified = (CheckKind.Http) ImportedConfig.read(withCa).healthConfig().checks().getFirst().kind();
        assertThat(verified.verifyCertificate()).isTrue();
        assertThat(verified.caFile()).isEqualTo(Path.of("/etc/uvs/ca.pem"));
        CheckKind.Http plain = (CheckKind.Http) ImportedConfig.read(without).healthConfig().checks().getFirst().kind();
        assertThat(plain.verifyCertificate()).isFalse();
        assertThat(plain.caFile()).isNull();
    }

    @Test
    void shouldCheckLdirectordsImapsAndPopsOverTls() throws Exception {
        Path conf = dir.resolve("ldirectord.cf");
        Files.writeString(conf, """
            virtual=10.1.1.1:993
                real=10.2.2.1:993 masq
                service=imaps
                login="alice"
                passwd="pw"
                checktype=negotiate
            virtual=10.1.1.1:995
                real=10.2.2.1:995 masq
                service=pops
                checktype=negotiate
            """);
        ImportedConfig imported = ImportedConfig.read(conf);

        assertThat(imported.uncheckedServers()).isZero();
        assertThat(imported.notAsWritten()).isEmpty();
        assertThat(imported.healthConfig().checks()).extracting(HealthCheckConfig::kind).containsExactly(
            new CheckKind.Negotiate(CheckKind.Negotiate.Service.IMAPS, "alice", "pw", "", ""),
            new CheckKind.Negotiate(CheckKind.Negotiate.Service.POPS, "", "", "", ""));
    }

    @Test
    void shouldMapKeepalivedRetriesAndHttpFields() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
            virtual_server 10.1.1.1 80 {
                delay_loop 6
                lb_algo wlc
                lb_kind DR
                protocol TCP
                real_server 10.2.2.1 80 {
                    weight 4
                    HTTP_GET {
                        url {
                            path /health
                            status_code 200
                        }
                        connect_timeout 3
                        retry 2
                        delay_before_retry 1
                    }
                }
            }
            """);
        ImportedConfig imported = ImportedConfig.read(conf);
        HealthConfig hc = imported.healthConfig();
        assertThat(hc.checks()).hasSize(1);
        HealthCheckConfig c = hc.checks().get(0);
        // keepalived "retry 2" retries twice after the first failure: three failures take it down
        assertThat(c.timing().retries()).isEqualTo(3);
        assertThat(c.timing().interval()).isEqualTo(Duration.ofSeconds(6));
        assertThat(c.timing().timeout()).isEqualTo(Duration.ofSeconds(3));
        // warmup defaults to delay_loop; each start draws the first check's delay in 0..warmup
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100; i++) {
            assertThat(imported.config().healthConfig(random).checks().getFirst().timing().warmup())
                .as("seed %d", seed).isBetween(Duration.ZERO, Duration.ofSeconds(6));
        }
        assertThat(c.onFailure()).isEqualTo(FailureAction.REMOVE);
        assertThat(c.realServer().weight()).isEqualTo(4);
        assertThat(c.kind()).isInstanceOfSatisfying(CheckKind.Http.class, h -> {
            assertThat(h.path()).isEqualTo("/health");
            assertThat(h.tls()).isFalse();
        });
    }

    @Test
    void shouldNameEveryServerLeftUncheckedAsSoonAsTheFileIsRead() throws Exception {
        Path conf = dir.resolve("ldirectord.cf");
        Files.writeString(conf, """
            checktimeout=3
            virtual=10.1.1.1:5060
                real=10.2.2.1:5060 masq
                real=10.2.2.2:5060 masq
                service=sip
                checktype=negotiate
                scheduler=rr
            """);
        ImportedConfig imported = ImportedConfig.read(conf);
        assertThat(imported.uncheckedServers()).isEqualTo(2);
        assertThat(imported.warnings()).anyMatch(w -> w.contains("real server 10.2.2.1:5060 of TCP 10.1.1.1:5060 is not "
            + "checked: UVS does not run negotiate (service sip) checks; it stays up unchecked"))
            .anyMatch(w -> w.contains("real server 10.2.2.2:5060"));
        assertThat(imported.notAsWritten()).hasSize(2);
        assertThat(imported.healthConfig().checks()).isEmpty();
    }

    @Test
    void shouldRunEveryCheckerOfARealServer() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
            virtual_server 10.1.1.1 80 {
                lb_algo rr
                lb_kind NAT
                protocol TCP
                quorum 2
                hysteresis 1
                quorum_up /bin/up arg
                omega
                sorry_server 10.9.9.9 80
                sorry_server_inhibit
                real_server 10.2.2.1 80 {
                    weight 2
                    TCP_CHECK {
                        connect_ip 127.0.0.2
                        bindto 127.0.0.1
                    }
                    HTTP_GET {
                        url {
                            path /
                        }
                    }
                }
            }
            """);
        ImportedConfig imported = ImportedConfig.read(conf);
        // HTTP_GET's delay_before_retry defaults to 3 s, TCP_CHECK's to 1 s
        // quorum 2 with hysteresis 1 over one server of weight 2 is never gained: the validator says so at the
        // first checker's line, before the checker's own warning
        assertThat(imported.notAsWritten()).containsExactly("keepalived.conf:13: warning: quorum 2 + hysteresis 1 of "
            + "TCP 10.1.1.1:80 is more than the total weight 2 of its checked real servers: the quorum is never gained "
            + "and the sorry server stays in", "keepalived.conf:17: warning: real "
            + "server 10.2.2.1:80 of TCP 10.1.1.1:80: this checker runs with the interval and retries of the first one "
            + "(keepalived.conf:13)");
        HealthConfig hc = imported.healthConfig();
        HealthCheckConfig c = hc.checks().getFirst();
        assertThat(hc.checks()).hasSize(1);
        assertThat(c.kind()).isInstanceOfSatisfying(CheckKind.AllOf.class, all -> {
            assertThat(all.parts()).extracting(CheckKind.Part::kind)
                .containsExactly(new CheckKind.Tcp(), CheckKind.Http.get("/"));
            HealthCheckConfig tcp = c.part(all.parts().getFirst());
            assertThat(tcp.target().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
            assertThat(tcp.source().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(c.part(all.parts().get(1)).target().getAddress().getHostAddress()).isEqualTo("10.2.2.1");
        });
        ServiceQuorum q = hc.quorum(c.service());
        assertThat(q).isEqualTo(new ServiceQuorum(c.service(), 2, 1, List.of("/bin/up", "arg"), List.of(), true));
        assertThat(hc.sorryServers()).singleElement().satisfies(s -> {
            assertThat(s.onRelease()).isEqualTo(FailureAction.QUIESCE);
            assertThat(s.config().weight()).isEqualTo(1);
        });
    }

    @Test
    void shouldMapLdirectordNegotiateServices() throws Exception {
        Path conf = dir.resolve("ldirectord.cf");
        Files.writeString(conf, """
            virtual=10.1.1.1:389
                real=10.2.2.1:389 masq
                service=ldap
                login="cn=monitor"
                passwd="pw"
                request="dc=example,dc=com"
                receive="example"
            virtual=10.1.1.1:3306
                real=10.2.2.1:3306 masq
                service=mysql
                login="check"
                passwd="pw"
                database="app"
                request="SELECT 1"
                receive="1"
            virtual=10.1.1.1:1812
                protocol=udp
                real=10.2.2.1:1812 masq
                service=radius
                login="probe"
                passwd="pw"
                secret="s3"
            virtual=10.1.1.1:7000
                real=10.2.2.1:7000 masq
                service=simpletcp
                request="PING\\n"
                receive="PONG"
            """);
        ImportedConfig imported = ImportedConfig.read(conf);
        assertThat(imported.healthConfig().checks()).extracting(HealthCheckConfig::kind).containsExactly(
            new CheckKind.Ldap("cn=monitor", "pw", "dc=example,dc=com", "example"),
            new CheckKind.SqlHandshake(true, "check", "app"),
            new CheckKind.Radius("probe", "pw", "s3"),
            new CheckKind.Negotiate(CheckKind.Negotiate.Service.SIMPLETCP, "", "", "PING\\n", "PONG"));
        assertThat(imported.uncheckedServers()).isZero();
        assertThat(imported.notAsWritten()).singleElement().asString().endsWith("ldirectord.cf:9: warning: real "
            + "server 10.2.2.1:3306 of TCP 10.1.1.1:3306: only the mysql server's handshake is checked: UVS does not "
            + "log in nor run the request");
    }

    @Test
    void shouldReadKeepalivedsUdpPayloadAndReplyAsHex() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
            virtual_server 10.1.1.1 53 {
                lb_algo rr
                lb_kind NAT
                protocol UDP
                real_server 10.2.2.1 53 {
                    UDP_CHECK {
                        payload 0a0B 1 ff
                        require_reply 0a 0b
                    }
                }
                real_server 10.2.2.2 53 {
                    UDP_CHECK {
                        payload hello
                    }
                }
            }
            """);
        ImportedConfig imported = ImportedConfig.read(conf);
        List<HealthCheckConfig> checks = imported.healthConfig().checks();
        assertThat(checks.get(0).kind()).isEqualTo(new CheckKind.Udp(new byte[] {0x0a, 0x0b, 1, (byte) 0xff}, true,
            new byte[] {0x0a, 0x0b}));
        assertThat(checks.get(1).kind()).isEqualTo(new CheckKind.Udp(new byte[0], false, null));
        assertThat(imported.notAsWritten()).singleElement().asString().contains("real server 10.2.2.2:53")
            .contains("UDP_CHECK payload and require_reply are hex digits");
    }

    @Test
    void shouldCountARealServerWhoseOnlyCheckerIsNotRun() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
            virtual_server 10.1.1.1 80 {
                lb_algo rr
                lb_kind NAT
                protocol TCP
                real_server 10.2.2.1 80 {
                    FILE_CHECK {
                        track_file weights
                    }
                }
                real_server 10.2.2.2 80 {
                    TCP_CHECK {
                    }
                    BFD_CHECK {
                    }
                }
            }
            """);
        ImportedConfig imported = ImportedConfig.read(conf);
        assertThat(imported.uncheckedServers()).isEqualTo(1);
        // a FILE_CHECK whose track_file is not defined reads nothing: said at the checker's line
        assertThat(imported.notAsWritten()).anyMatch(w -> w.endsWith("keepalived.conf:6: warning: real server "
            + "10.2.2.1:80 of TCP 10.1.1.1:80 is not checked: its FILE_CHECK has no file to read; it stays up "
            + "unchecked"))
            .anyMatch(w -> w.endsWith("keepalived.conf:6: warning: track_file weights is not defined: this "
                + "FILE_CHECK checks nothing"))
            .anyMatch(w -> w.endsWith("keepalived.conf:13: warning: BFD_CHECK is not supported: this check is left out"));
    }

    @Test
    void shouldReadTheTrackedFileOfAFileCheck() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
            track_file weights {
                file /run/uvs/weights
                weight 3 reverse
            }
            track_file vrrp_only {
                file /run/uvs/vrrp
            }
            virtual_server 10.1.1.1 80 {
                lb_algo rr
                lb_kind NAT
                protocol TCP
                real_server 10.2.2.1 80 {
                    FILE_CHECK {
                        track_file weights
                    }
                }
                real_server 10.2.2.2 80 {
                    FILE_CHECK {
                        track_file weights
                        weight 0
                    }
                }
            }
            """);
        ImportedConfig imported = ImportedConfig.read(conf);

        assertThat(imported.uncheckedServers()).isZero();
        assertThat(imported.notAsWritten()).isEmpty();
        assertThat(imported.warnings()).containsExactly(
            "keepalived.conf:5: info: 'track_file' does not apply to UVS: ignored");
        List<HealthCheckConfig> checks = imported.healthConfig().checks();
        // the checker's own weight 0 is none: the block's is used, as keepalived does
        assertThat(checks).extracting(HealthCheckConfig::kind).containsExactly(
            new CheckKind.TrackFile(Path.of("/run/uvs/weights"), 3, true),
            new CheckKind.TrackFile(Path.of("/run/uvs/weights"), 3, true));
        // read every second, one read deciding
        assertThat(checks.getFirst().timing().interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(checks.getFirst().timing().retries()).isEqualTo(1);
    }
}
