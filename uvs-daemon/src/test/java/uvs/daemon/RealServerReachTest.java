package uvs.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uvs.core.EngineConfig;
import uvs.core.net.IpAddress;
import uvs.ctl.cli.IpvsadmException;
import uvs.ctl.cli.IpvsadmParser;
import uvs.ctl.model.DataPlaneSpec;
import uvs.net.sys.RouteTable;
import uvs.time.ManualClock;

/** Real servers the data plane cannot reach are refused in ipvsadm's style, restore lines with their line. */
class RealServerReachTest {
    /** 10.0.0.0/24 on eth0 (clients), 10.100.1.0/24 on eth1 (real servers), 10.200.0.0/24 on eth2. */
    private static final String ROUTES = """
        Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT
        eth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        eth1\t0001640A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        eth2\t0000C80A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        """;
    private final RealServerReach reach = new RealServerReach(List.of("eth0", "eth1"),
        () -> RouteTable.parse(ROUTES, ""));

    @Test
    void shouldAcceptRealServersBehindAnyDataPlaneInterfaceAndLoopback() {
        assertThat(reach.problem(IpAddress.parse("10.100.1.11"))).isNull();
        assertThat(reach.problem(IpAddress.parse("10.0.0.9"))).isNull();
        assertThat(reach.problem(IpAddress.parse("127.0.0.1"))).isNull();
    }

    @Test
    void shouldRefuseAnAddOfARealServerRoutedElsewhereInOneLine() throws Exception {
        var cmd = IpvsadmParser.parse(new String[] {"-a", "-t", "10.0.0.100:80", "-r", "10.200.0.5:80", "-m"});
        assertThatThrownBy(() -> reach.check(cmd)).isInstanceOf(IpvsadmException.class)
            .hasMessage("Real server 10.200.0.5 is not reachable through the data-plane interfaces eth0,eth1 "
                + "(its route leaves by eth2)");
        var edit = IpvsadmParser.parse(new String[] {"-e", "-t", "10.0.0.100:80", "-r", "10.9.9.9:80", "-g"});
        assertThatThrownBy(() -> reach.check(edit)).hasMessageContaining("10.9.9.9").hasMessageEndingWith("(no route)");
        reach.check(IpvsadmParser.parse(new String[] {"-a", "-t", "10.0.0.100:80", "-r", "10.100.1.11:80", "-m"}));
    }

    @Test
    void shouldNameTheLineOfRestoreInput() throws Exception {
        var lines = IpvsadmParser.parseRestore(new StringReader("""
            -A -t 10.0.0.100:80 -s rr
            -a -t 10.0.0.100:80 -r 10.100.1.11:80 -m
            -a -t 10.0.0.100:80 -r 10.200.0.7:80 -m
            """));
        assertThatThrownBy(() -> reach.check(lines)).isInstanceOf(IpvsadmException.class)
            .hasMessageStartingWith("line 3: Real server 10.200.0.7 is not reachable");
    }

    @Test
    void shouldRefuseTheRulesFileOfADataPlaneWithFileAndLine(@TempDir Path dir) throws Exception {
        // an interface that does not exist here: no route of this host leaves by it
        Path rules = Files.writeString(dir.resolve("rules"), """
            -A -t 10.0.0.100:80 -s rr
            -a -t 10.0.0.100:80 -r 127.0.0.2:80 -m
            -a -t 10.0.0.100:80 -r 10.0.0.7:80 -m
            """);
        UvsdConfig config = UvsdConfig.minimal(new ManualClock(), EngineConfig.defaults().withCapacity(1024, 64),
            dir.resolve("sock")).withRules(rules)
            .withDataPlane(new DataPlaneSpec(List.of("uvsnone0"), List.of(), 64, 1, 3));
        assertThatThrownBy(() -> DaemonFiles.load(config))
            .hasMessageStartingWith(rules + ":3: Real server 10.0.0.7 is not reachable through the data-plane "
                + "interface uvsnone0 (");
        // without a data plane the file is fine
        assertThat(DaemonFiles.load(config.withDataPlane(null)).realServers()).isEqualTo(2);
    }
}
