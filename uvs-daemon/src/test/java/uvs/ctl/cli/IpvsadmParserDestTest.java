package uvs.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static uvs.ctl.cli.ParserAssertions.assertFails;
import static uvs.ctl.cli.ParserAssertions.assertFailsLine;
import static uvs.ctl.cli.ParserAssertions.parse;

import org.junit.jupiter.api.Test;
import uvs.core.net.Af;
import uvs.core.net.IpAddress;
import uvs.core.net.IpProto;
import uvs.core.svc.ForwardMethod;
import uvs.core.svc.RealServerConfig;
import uvs.core.svc.ServiceKey;
import uvs.core.svc.TunnelChecksum;
import uvs.core.svc.TunnelType;

/** -a, -e and -d (spec §9.1, §8 tunnel rules, §7.0 weights). */
class IpvsadmParserDestTest {
    private static final ServiceKey TCP80 = ServiceKey.of(IpProto.TCP, IpAddress.parse("10.0.0.1"), 80);
    private static final IpAddress RS = IpAddress.parse("10.0.0.2");

    private static IpvsadmCommand.AddDest add(String line) {
        return (IpvsadmCommand.AddDest) parse(line);
    }

    private static RealServerConfig cfg(int weight, ForwardMethod fwd) {
        return RealServerConfig.of(weight, fwd);
    }

    @Test
    void shouldParseTheSaveExampleServer() {
        assertThat(parse("-a -t 207.175.44.110:80 -r 192.168.10.1:80 -m -w 1")).isEqualTo(new IpvsadmCommand.AddDest(
            ServiceKey.of(IpProto.TCP, IpAddress.parse("207.175.44.110"), 80), IpAddress.parse("192.168.10.1"), 80,
            cfg(1, ForwardMethod.MASQ)));
    }

    @Test
    void shouldDefaultToDirectRoutingWeightOneAndTheServicePort() {
        assertThat(parse("-a -t 10.0.0.1:80 -r 10.0.0.2"))
            .isEqualTo(new IpvsadmCommand.AddDest(TCP80, RS, 80, RealServerConfig.defaults()));
    }

    @Test
    void shouldForceTheServicePortForRoutingAndTunnels() {
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2:8080").port()).isEqualTo(80);
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -g").port()).isEqualTo(80);
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -i").port()).isEqualTo(80);
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m").port()).isEqualTo(8080);
        // fwmark services keep the given port (0 when none: the fwmark "service port")
        assertThat(add("-a -f 1 -r 10.0.0.2:8080").port()).isEqualTo(8080);
        assertThat(add("-a -f 1 -r 10.0.0.2").port()).isZero();
    }

    @Test
    void shouldCopyTheServicePortKnownWhenDashRIsRead() {
        // -r before -t: the service port is still 0 then
        assertThat(add("-a -r 10.0.0.2 -t 10.0.0.1:80 -m").port()).isZero();
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2 -m").port()).isEqualTo(80);
        assertThat(add("-a -t 10.0.0.1:80 -r [10.0.0.2]:8080 -m").port()).isEqualTo(80);
    }

    @Test
    void shouldReadWeightsAndThresholdsInRange() {
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2 -w 0").config().weight()).isZero();
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2 -w 65535").config().weight()).isEqualTo(65535);
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2 -x 2147483647 -y 0").config())
            .isEqualTo(RealServerConfig.defaults().withThresholds(Integer.MAX_VALUE, 0));
        assertFailsLine("illegal weight specified", "-a -t 10.0.0.1:80 -r 10.0.0.2 -w 2147483648");
        assertFailsLine("illegal weight specified", "-a -t 10.0.0.1:80 -r 10.0.0.2 -w x");
        assertFails("illegal weight specified", "-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "--weight=-1");
        assertFailsLine("illegal u_threshold specified", "-a -t 10.0.0.1:80 -r 10.0.0.2 -x 2147483648");
        assertFails("illegal l_threshold specified", "-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "-y", " ");
    }

    @Test
    void shouldReadTunnelOptions() {
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2 -i").config()).isEqualTo(cfg(1, ForwardMethod.TUNNEL));
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2 -i -w 3 --tun-type gue --tun-port 6080 --tun-remcsum").config())
            .isEqualTo(new RealServerConfig(3, ForwardMethod.TUNNEL, TunnelType.GUE, 6080, TunnelChecksum.REMCSUM, 0, 0));
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2 -i --tun-type gue --tun-port 1").config().tunnelChecksum())
            .isEqualTo(TunnelChecksum.NOCSUM);
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2 -i --tun-type gre --tun-csum").config())
            .isEqualTo(new RealServerConfig(1, ForwardMethod.TUNNEL, TunnelType.GRE, 0, TunnelChecksum.CSUM, 0, 0));
        assertThat(add("-a -t 10.0.0.1:80 -r 10.0.0.2 -i --tun-type ipip").config()).isEqualTo(cfg(1, ForwardMethod.TUNNEL));
    }

    @Test
    void shouldRefuseTunnelOptionsThatDoNotFitTheType() {
        String base = "-a -t 10.0.0.1:80 -r 10.0.0.2 -i ";
        assertFailsLine("You need to supply the 'tun-port' option for the 'gue' tunnel type", base + "--tun-type gue");
        assertFailsLine("Illegal 'tun-port' option with the 'ipip' tunnel type", base + "--tun-port 6080");
        assertFailsLine("Illegal 'tun-nocsum' option with the 'ipip' tunnel type", base + "--tun-nocsum");
        assertFailsLine("Illegal 'tun-port' option with the 'gre' tunnel type", base + "--tun-type gre --tun-port 1");
        assertFailsLine("Illegal 'tun-remcsum' option with the 'gre' tunnel type", base + "--tun-type gre --tun-remcsum");
        assertFailsLine("The option 'tun-remcsum' conflicts with the 'tun-csum' option in the 'gue' tunnel type",
            base + "--tun-type gue --tun-port 1 --tun-remcsum --tun-csum");
        assertFailsLine("The option 'tun-csum' conflicts with the 'tun-nocsum' option in the 'gre' tunnel type",
            base + "--tun-type gre --tun-csum --tun-nocsum");
        assertFailsLine("illegal tunnel type specified", base + "--tun-type vxlan");
        assertFailsLine("illegal tunnel port specified", base + "--tun-type gue --tun-port 0");
        assertFailsLine("illegal tunnel port specified", base + "--tun-type gue --tun-port 65536");
    }

    @Test
    void shouldRefuseTunnelOptionsWithAnotherMethod() {
        assertFailsLine("Tunnel options conflict with forward method", "-a -t 10.0.0.1:80 -r 10.0.0.2 -m --tun-type gre");
        assertFailsLine("Tunnel options conflict with forward method", "-e -t 10.0.0.1:80 -r 10.0.0.2 --tun-csum");
        assertFailsLine("Tunnel options conflict with forward method", "-a -t 10.0.0.1:80 -r 10.0.0.2 -g --tun-port 5");
    }

    @Test
    void shouldAllowAnotherAddressFamilyOnlyForTunnels() {
        assertFailsLine("Different address family is allowed only for tunneling servers",
            "-a -t 10.0.0.1:80 -r [2001:db8::2]:80 -m");
        assertFailsLine("Different address family is allowed only for tunneling servers",
            "-a -f 1 -6 -r 10.0.0.2 -g");
        IpvsadmCommand.AddDest d = add("-a -t 10.0.0.1:80 -r [2001:db8::2]:8080 -i");
        assertThat(d.address()).isEqualTo(IpAddress.parse("2001:db8::2"));
        assertThat(d.port()).isEqualTo(80);
        assertThat(add("-a -f 1 -6 -r [2001:db8::2]:0 -m").address().af()).isEqualTo(Af.INET6);
        // the family check comes before the tunnel-option check
        assertFailsLine("Different address family is allowed only for tunneling servers",
            "-a -t 10.0.0.1:80 -r [2001:db8::2]:80 -m --tun-type gre");
    }

    @Test
    void shouldRefuseBadRealServerAddresses() {
        assertFailsLine("illegal real server address[:port] specified", "-a -t 10.0.0.1:80 -r 10.0.0.2:x");
        assertFailsLine("illegal real server address[:port] specified", "-a -t 10.0.0.1:80 -r rs1.example.com");
        assertFailsLine("illegal real server address[:port] specified", "-a -t 10.0.0.1:80 -r 8080");
    }

    @Test
    void shouldRequireServiceAndServer() {
        assertFailsLine("You need to supply the 'real-server' option for the 'add-server' command", "-a -t 10.0.0.1:80");
        assertFailsLine("You need to supply the 'service-address' option for the 'add-server' command", "-a -r 10.0.0.2");
        assertFailsLine("You need to supply the 'service-address' option for the 'edit-server' command", "-e -r 10.0.0.2 -s rr");
        assertFailsLine("Illegal 'scheduler' option with the 'add-server' command", "-a -t 10.0.0.1:80 -r 10.0.0.2 -s rr");
    }

    @Test
    void shouldEditWithDefaultsForOmittedParameters() {
        // -e sends every parameter: omitted ones are ipvsadm's defaults again (DR, weight 1)
        assertThat(parse("-e -t 10.0.0.1:80 -r 10.0.0.2:8080 -w 5"))
            .isEqualTo(new IpvsadmCommand.EditDest(TCP80, RS, 80, cfg(5, ForwardMethod.ROUTE)));
        assertThat(parse("-e -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -x 10 -y 2"))
            .isEqualTo(new IpvsadmCommand.EditDest(TCP80, RS, 8080, cfg(1, ForwardMethod.MASQ).withThresholds(10, 2)));
    }

    @Test
    void shouldDeleteWithThePortAsGiven() {
        assertThat(parse("-d -t 10.0.0.1:80 -r 10.0.0.2:8080")).isEqualTo(new IpvsadmCommand.DeleteDest(TCP80, RS, 8080));
        assertThat(parse("-d -t 10.0.0.1:80 -r 10.0.0.2")).isEqualTo(new IpvsadmCommand.DeleteDest(TCP80, RS, 80));
        assertFailsLine("Illegal 'weight' option with the 'delete-server' command", "-d -t 10.0.0.1:80 -r 10.0.0.2 -w 2");
        assertFailsLine("Illegal 'forwarding-method' option with the 'delete-server' command",
            "-d -t 10.0.0.1:80 -r 10.0.0.2 -m");
    }
}
