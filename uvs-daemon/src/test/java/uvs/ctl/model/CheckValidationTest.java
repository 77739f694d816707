package uvs.ctl.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceConfig;
import uvs.core.svc.ServiceKey;
import uvs.ctl.importer.SourceLocation;
import uvs.daemon.DaemonFiles;
import uvs.daemon.UvsdConfig;
import uvs.ctl.health.CheckKind;
import uvs.ctl.health.CheckTiming;
import uvs.ctl.health.FailureAction;
import uvs.ctl.health.ServiceQuorum;
import uvs.ctl.health.SorryServer;
import uvs.time.ManualClock;

/** The health checks, sorry servers and quorums of a {@link DirectorConfig}, checked with file:line. */
class CheckValidationTest {
    private static final ServiceKey SVC = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);
    private static final CheckTiming TIMING = new CheckTiming(Duration.ofSeconds(5), Duration.ofSeconds(2), 1,
        Duration.ofSeconds(1), Duration.ZERO);

    private static SourceLocation at(int line) {
        return new SourceLocation("k.conf", line);
    }

    private static CheckSpec check(int line, String address, int weight, SorryServer sorry, ServiceQuorum quorum) {
        return new CheckSpec(at(line), SVC, IpAddress.parse(address), 80, weight, new CheckKind.Tcp(), TIMING,
            FailureAction.REMOVE, false, null, 0, null, sorry, quorum);
    }

    private static DirectorConfig rules(String... reals) {
        List<RealServerSpec> rs = java.util.Arrays.stream(reals).map(a -> new RealServerSpec(IpAddress.parse(a), 80,
            RealServerConfig.of(1, ForwardMethod.ROUTE), at(2))).toList();
        return DirectorConfig.of(List.of(new ServiceSpec(SVC, ServiceConfig.of("rr"), rs, at(1))));
    }

    @Test
    void shouldWarnAboutEveryCheckThatDoesNotDoWhatItSeemsToAtItsLine() {
        SorryServer sorry = new SorryServer(SVC, IpAddress.parse("10.0.1.1"), 80,
            RealServerConfig.of(1, ForwardMethod.ROUTE), FailureAction.REMOVE);
        ServiceQuorum quorum = new ServiceQuorum(SVC, 4, 1, List.of(), List.of(), false);
        DirectorConfig config = rules("10.0.1.1", "10.0.1.2").withChecks(List.of(
            check(5, "10.0.1.1", 2, sorry, quorum), check(9, "10.0.1.2", 1, sorry, quorum),
            check(12, "10.0.1.3", 1, sorry, quorum)));

        assertThat(ConfigValidator.checkWarnings(config)).extracting(Problem::toString).containsExactly(
            "k.conf:5: sorry server 10.0.1.1:80 of TCP 10.0.0.1:80 is also one of its real servers: its health "
                + "check and the quorum both set its weight",
            "k.conf:5: quorum 4 + hysteresis 1 of TCP 10.0.0.1:80 is more than the total weight 4 of its checked "
                + "real servers: the quorum is never gained and the sorry server stays in",
            "k.conf:12: real server 10.0.1.3:80 of TCP 10.0.0.1:80 is checked but not in the rules: the check adds "
                + "it when it passes");
        // a reachable quorum and a sorry server of its own: nothing to say
        DirectorConfig fine = rules("10.0.1.1", "10.0.1.2").withChecks(List.of(
            check(5, "10.0.1.1", 3, null, new ServiceQuorum(SVC, 2, 1, List.of(), List.of(), false)),
            check(9, "10.0.1.2", 1, null, null)));
        assertThat(ConfigValidator.checkWarnings(fine)).isEmpty();
        assertThat(ConfigValidator.standard().validate(fine)).isEmpty();
    }

    @Test
    void shouldRefuseARealServerCheckedTwiceNamingBothLines() {
        DirectorConfig config = rules("10.0.1.1").withChecks(List.of(check(5, "10.0.1.1", 1, null, null),
            check(8, "10.0.1.1", 1, null, null)));

        assertThat(ConfigValidator.standard().validate(config)).extracting(Problem::toString).containsExactly(
            "k.conf:8: real server 10.0.1.1:80 of TCP 10.0.0.1:80 has a health check already (k.conf:5): one check "
                + "per real server");
    }

    @Test
    void shouldRefuseANetworkCheckWithoutAPortAtItsLine() {
        CheckSpec portless = new CheckSpec(at(6), SVC, IpAddress.parse("10.0.1.1"), 0, 1, new CheckKind.Tcp(), TIMING,
            FailureAction.REMOVE, false, null, 0, null, null, null);
        CheckSpec withPort = new CheckSpec(at(9), SVC, IpAddress.parse("10.0.1.2"), 0, 1, new CheckKind.Tcp(), TIMING,
            FailureAction.REMOVE, false, null, 80, null, null, null);
        CheckSpec ping = new CheckSpec(at(12), SVC, IpAddress.parse("10.0.1.3"), 0, 1, new CheckKind.Ping(1), TIMING,
            FailureAction.REMOVE, false, null, 0, null, null, null);

        assertThat(ConfigValidator.checkProblems(DirectorConfig.EMPTY.withChecks(List.of(portless, withPort, ping))))
            .extracting(Problem::toString).containsExactly("k.conf:6: real server 10.0.1.1:0 of TCP 10.0.0.1:80 has "
                + "port 0: its check needs connect_port (ldirectord: checkport)");
    }

    @Test
    void shouldHoldTheWholeDesiredStateOfUvsdsFiles(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("keepalived.conf"), """
            virtual_server 10.0.0.1 80 {
                lb_algo rr
                lb_kind DR
                protocol TCP
                quorum 2
                hysteresis 1
                sorry_server 10.0.9.9 80
                real_server 10.0.1.1 80 {
                    weight 2
                    TCP_CHECK {
                        connect_timeout 3
                    }
                }
            }
            """);
        Path rules = Files.writeString(dir.resolve("rules"), "-A -u 10.0.0.2:53 -s rr\n");
        Path sysctl = Files.writeString(dir.resolve("sysctl"), "net.ipv4.vs.expire_nodest_conn = 1\n");
        UvsdConfig config = UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
            dir.resolve("sock")).withImport(conf).withRules(rules).withSysctl(sysctl);

        DaemonFiles files = DaemonFiles.load(config);

        DirectorConfig desired = files.desired();
        assertThat(desired.services()).hasSize(2);
        assertThat(desired.checks()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(new CheckKind.Tcp());
            assertThat(c.timing().timeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(c.quorum().quorum()).isEqualTo(2);
        });
        assertThat(desired.sorryServers()).containsOnlyKeys(SVC);
        assertThat(desired.tunables().entries()).singleElement()
            .satisfies(e -> assertThat(e.name()).isEqualTo("net.ipv4.vs.expire_nodest_conn"));
        // the quorum the one checked server can never gain is a warning at its checker's line
        assertThat(files.imported().warnings()).contains("keepalived.conf:10: warning: quorum 2 + hysteresis 1 of TCP "
            + "10.0.0.1:80 is more than the total weight 2 of its checked real servers: the quorum is never gained "
            + "and the sorry server stays in");
    }
}
